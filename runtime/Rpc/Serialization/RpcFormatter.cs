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
}
