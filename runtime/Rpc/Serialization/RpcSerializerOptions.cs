namespace Rpc.Serialization;

/// <summary>How strings are written when a member does not choose with <see cref="Utf8StringAttribute"/> or
/// <see cref="Utf16StringAttribute"/>. Readers accept both encodings whatever this says.</summary>
public enum RpcStringEncoding
{
    /// <summary>UTF-8: int32 <c>~byteCount</c>, int32 UTF-16 length, then the bytes (MemoryPack's default).</summary>
    Utf8 = 0,

    /// <summary>UTF-16: int32 char count, then the chars.</summary>
    Utf16 = 1,
}

/// <summary>Options for <see cref="RpcSerializer"/>, mirroring MemoryPack's serializer options.</summary>
public sealed class RpcSerializerOptions
{
    /// <summary>The default: UTF-8 strings, as MemoryPack's <c>MemoryPackSerializerOptions.Default</c>.</summary>
    public static RpcSerializerOptions Default { get; } = new();

    /// <summary>UTF-8 strings.</summary>
    public static RpcSerializerOptions Utf8 { get; } = new() { StringEncoding = RpcStringEncoding.Utf8 };

    /// <summary>UTF-16 strings.</summary>
    public static RpcSerializerOptions Utf16 { get; } = new() { StringEncoding = RpcStringEncoding.Utf16 };

    /// <summary>The encoding strings are written in. Reading accepts either.</summary>
    public RpcStringEncoding StringEncoding { get; init; } = RpcStringEncoding.Utf8;

    /// <summary>
    /// How deeply objects and collections may nest, on writing and on reading. It turns a cyclic graph (without
    /// <c>GenerateType.CircularReference</c>) or a hostile, deeply nested payload into a
    /// <see cref="RpcSerializationException"/> instead of a stack overflow. Default 64.
    /// </summary>
    public int MaxDepth { get; init; } = 64;
}
