namespace Rpc.Serialization.Formatters;

/// <summary>Strings in the options' encoding; reads either encoding.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class StringFormatter : RpcFormatter<string>
{
    /// <summary>The shared instance.</summary>
    public static readonly StringFormatter Instance = new();

    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in string? value) => writer.WriteString(value);

    /// <inheritdoc />
    public override string? Deserialize(ref RpcReader reader) => reader.ReadString();
}

/// <summary>Strings always written as UTF-8, for members marked <see cref="Utf8StringAttribute"/>.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class Utf8StringFormatter : RpcFormatter<string>
{
    /// <summary>The shared instance.</summary>
    public static readonly Utf8StringFormatter Instance = new();

    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in string? value) => writer.WriteUtf8String(value);

    /// <inheritdoc />
    public override string? Deserialize(ref RpcReader reader) => reader.ReadString();
}

/// <summary>Strings always written as UTF-16, for members marked <see cref="Utf16StringAttribute"/>.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class Utf16StringFormatter : RpcFormatter<string>
{
    /// <summary>The shared instance.</summary>
    public static readonly Utf16StringFormatter Instance = new();

    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in string? value) => writer.WriteUtf16String(value);

    /// <inheritdoc />
    public override string? Deserialize(ref RpcReader reader) => reader.ReadString();
}
