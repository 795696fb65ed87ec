using System;
using System.Collections.Generic;

namespace Rpc.Serialization.Formatters;

/// <summary><c>Queue&lt;T&gt;</c>: int32 count (-1 for null), then the items from head to tail.</summary>
public sealed class QueueFormatter<T> : RpcFormatter<Queue<T?>>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in Queue<T?>? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }
        CollectionWriting.WriteCollection<T>(ref writer, value, value.Count);
    }

    /// <inheritdoc />
    public override Queue<T?>? Deserialize(ref RpcReader reader)
    {
        T?[]? items = CollectionElements.ReadArray<T>(ref reader);
        return items is null ? null : new Queue<T?>(items);
    }
}

/// <summary>
/// <c>Stack&lt;T&gt;</c>: int32 count (-1 for null), then the items in pop order (top first); reading pushes them
/// back in reverse, so the stack comes out as it went in.
/// </summary>
public sealed class StackFormatter<T> : RpcFormatter<Stack<T?>>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in Stack<T?>? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }
        CollectionWriting.WriteCollection<T>(ref writer, value, value.Count);
    }

    /// <inheritdoc />
    public override Stack<T?>? Deserialize(ref RpcReader reader)
    {
        T?[]? items = CollectionElements.ReadArray<T>(ref reader);
        if (items is null)
        {
            return null;
        }
        Array.Reverse(items);
        return new Stack<T?>(items);
    }
}
