using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Rpc.Serialization.Formatters;

/// <summary><c>List&lt;T&gt;</c>: int32 count (-1 for null), then the elements.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class ListFormatter<T> : RpcFormatter<List<T?>>
{
    // The element formatter, found once rather than per list (see RpcFormatterCache<T>).
    private readonly RpcFormatterCache<T> _elements = new();

    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in List<T?>? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }
        CollectionElements.WriteSpan<T>(ref writer, CollectionsMarshal.AsSpan(value), _elements);
    }

    /// <inheritdoc />
    public override List<T?>? Deserialize(ref RpcReader reader)
    {
        if (!reader.TryReadCollectionHeader(out int length, CollectionElements.MinimumSize<T>()))
        {
            return null;
        }
        var result = new List<T?>(length);
        CollectionsMarshal.SetCount(result, length);
        CollectionElements.ReadInto<T>(ref reader, CollectionsMarshal.AsSpan(result), _elements);
        return result;
    }
}
