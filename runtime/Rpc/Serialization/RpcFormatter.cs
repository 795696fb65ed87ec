using System;
using System.Buffers;

namespace Rpc.Serialization;

/// <summary>
/// Writes and reads values of one type in the MemoryPack wire format. The generator emits one for every
/// serializable type it finds; the runtime ships the built-in ones (strings, arrays, collections, tuples, ...).
/// </summary>
/// <typeparam name="T">The type this formatter handles.</typeparam>
public abstract class RpcFormatter<T>
{
    /// <summary>Writes <paramref name="value"/> (which may be null for reference types).</summary>
    public abstract void Serialize(ref RpcWriter writer, scoped in T? value);

    /// <summary>Reads one value. Throws <see cref="RpcSerializationException"/> on malformed input.</summary>
    public abstract T? Deserialize(ref RpcReader reader);

    /// <summary>
    /// True when a whole payload of this type is one raw block that <see cref="SerializePayload"/> copies straight
    /// into the destination: <see cref="RpcSerializer"/> then skips the writer (a field test, not a virtual call,
    /// so every other type pays nothing for it).
    /// </summary>
    internal bool WritesPayloadDirectly { get; private protected init; }

    /// <summary>Writes a whole payload of <paramref name="value"/>; only called when <see cref="WritesPayloadDirectly"/>.</summary>
    internal virtual void SerializePayload(IBufferWriter<byte> destination, scoped in T? value) =>
        throw new NotSupportedException($"{GetType()} does not write payloads directly.");
}
