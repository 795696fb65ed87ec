using System.Collections.Generic;

namespace Rpc.Serialization.Formatters;

/// <summary>
/// Any collection with a parameterless constructor and <c>Add</c> (<c>HashSet</c>, <c>SortedSet</c>,
/// <c>LinkedList</c>, ...): int32 count (-1 for null), then the elements in enumeration order.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class AddableCollectionFormatter<TCollection, T> : RpcFormatter<TCollection>
    where TCollection : ICollection<T?>, new()
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in TCollection? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }
        CollectionWriting.WriteCollection<T>(ref writer, value, value.Count);
    }

    /// <inheritdoc />
    public override TCollection? Deserialize(ref RpcReader reader)
    {
        if (!reader.TryReadCollectionHeader(out int length, CollectionElements.MinimumSize<T>()))
        {
            return default;
        }
        var result = new TCollection();
        reader.EnterDepth();
        for (int i = 0; i < length; i++)
        {
            result.Add(reader.ReadValue<T>());
        }
        reader.ExitDepth();
        return result;
    }
}

/// <summary>Writing an enumerable whose count is known.</summary>
internal static class CollectionWriting
{
    public static void WriteCollection<T>(ref RpcWriter writer, IEnumerable<T?> values, int count)
    {
        writer.WriteCollectionHeader(count);
        writer.EnterDepth();
        int written = 0;
        foreach (T? item in values)
        {
            writer.WriteValue(item);
            written++;
        }
        writer.ExitDepth();
        if (written != count)
        {
            throw new RpcSerializationException($"The collection changed while it was being serialized ({count} items announced, {written} written).");
        }
    }
}
