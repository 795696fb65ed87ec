namespace Rpc.Serialization.Formatters;

/// <summary>
/// Copies a type that holds no references as raw memory (primitives, enums, unmanaged structs, ...), padding bytes
/// zeroed.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class UnmanagedFormatter<T> : RpcFormatter<T>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in T? value) => writer.DangerousWriteUnmanagedZeroingPadding(value);

    /// <inheritdoc />
    public override T? Deserialize(ref RpcReader reader) => reader.DangerousReadUnmanaged<T>();
}
