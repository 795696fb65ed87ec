using System;
using System.Buffers;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace Rpc.Serialization.Formatters;

/// <summary><c>Queue&lt;T&gt;</c>: int32 count (-1 for null), then the items from head to tail.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
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
/// <c>Stack&lt;T&gt;</c>: int32 count (-1 for null), then the items bottom first, as MemoryPack writes them (the order
/// of the stack's backing array); reading pushes them in that order, so the stack comes out as it went in.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
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
        int count = value.Count;
        if (count == 0)
        {
            writer.WriteCollectionHeader(0);
            return;
        }
        // CopyTo gives pop order (top first): reverse it in a rented array to write bottom first.
        T?[] items = ArrayPool<T?>.Shared.Rent(count);
        try
        {
            value.CopyTo(items, 0);
            Array.Reverse(items, 0, count);
            CollectionElements.WriteSpan<T>(ref writer, items.AsSpan(0, count));
        }
        finally
        {
            ArrayPool<T?>.Shared.Return(items, RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        }
    }

    /// <inheritdoc />
    public override Stack<T?>? Deserialize(ref RpcReader reader)
    {
        T?[]? items = CollectionElements.ReadArray<T>(ref reader);
        return items is null ? null : new Stack<T?>(items);
    }
}
