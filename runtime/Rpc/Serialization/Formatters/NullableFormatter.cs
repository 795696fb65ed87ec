using System.Runtime.CompilerServices;

namespace Rpc.Serialization.Formatters;

/// <summary>
/// <c>Nullable&lt;T&gt;</c> of a struct that holds references: <c>0xFF</c> for null, else header 1 and the value.
/// (When <c>T</c> holds no references the whole nullable is copied raw and this formatter is never asked.)
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class NullableFormatter<T> : RpcFormatter<T?> where T : struct
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in T? value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            writer.DangerousWriteUnmanagedZeroingPadding(value);
            return;
        }
        if (!value.HasValue)
        {
            writer.WriteNullObjectHeader();
            return;
        }
        writer.WriteObjectHeader(1);
        writer.WriteValue(value.GetValueOrDefault());
    }

    /// <inheritdoc />
    public override T? Deserialize(ref RpcReader reader)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            return reader.DangerousReadUnmanaged<T?>();
        }
        if (!reader.TryReadObjectHeader(out byte count))
        {
            return null;
        }
        if (count != 1)
        {
            throw new RpcSerializationException($"A nullable value needs header 1, the payload has {count}.");
        }
        return reader.ReadValue<T>();
    }
}
