using System;

namespace Rpc.Serialization.Formatters;

/// <summary><c>T[]</c>: int32 count (-1 for null), then the elements (one raw block when they hold no references).</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class ArrayFormatter<T> : RpcFormatter<T?[]>
{
    // The element formatter, found once rather than per array (see RpcFormatterCache<T>).
    private readonly RpcFormatterCache<T> _elements = new();

    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in T?[]? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }
        CollectionElements.WriteSpan<T>(ref writer, value, _elements);
    }

    /// <inheritdoc />
    public override T?[]? Deserialize(ref RpcReader reader) => CollectionElements.ReadArray<T>(ref reader, _elements);
}

/// <summary><c>T[]</c> of an unmanaged type: int32 count, then one raw block.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class UnmanagedArrayFormatter<T> : RpcFormatter<T[]> where T : unmanaged
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in T[]? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }
        writer.WriteUnmanagedSpan<T>(value);
    }

    /// <inheritdoc />
    public override T[]? Deserialize(ref RpcReader reader) => reader.ReadUnmanagedArray<T>();
}

/// <summary><c>Memory&lt;T&gt;</c>: written as an array (a default memory as count 0); an empty memory reads back empty.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class MemoryFormatter<T> : RpcFormatter<Memory<T?>>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in Memory<T?> value) => CollectionElements.WriteSpan<T>(ref writer, value.Span);

    /// <inheritdoc />
    public override Memory<T?> Deserialize(ref RpcReader reader) => CollectionElements.ReadArray<T>(ref reader);
}

/// <summary><c>ReadOnlyMemory&lt;T&gt;</c>: written as an array (a default memory as count 0).</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class ReadOnlyMemoryFormatter<T> : RpcFormatter<ReadOnlyMemory<T?>>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in ReadOnlyMemory<T?> value) => CollectionElements.WriteSpan<T>(ref writer, value.Span);

    /// <inheritdoc />
    public override ReadOnlyMemory<T?> Deserialize(ref RpcReader reader) => CollectionElements.ReadArray<T>(ref reader);
}

/// <summary>
/// <c>ArraySegment&lt;T&gt;</c>: written as an array of the segment's items (a default segment as count 0); reads back
/// with offset 0, and a null marker reads as the default segment.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class ArraySegmentFormatter<T> : RpcFormatter<ArraySegment<T?>>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in ArraySegment<T?> value) =>
        CollectionElements.WriteSpan<T>(ref writer, value.AsSpan()); // a default segment is empty: count 0, as MemoryPack writes it

    /// <inheritdoc />
    public override ArraySegment<T?> Deserialize(ref RpcReader reader)
    {
        T?[]? array = CollectionElements.ReadArray<T>(ref reader);
        return array is null ? default : new ArraySegment<T?>(array);
    }
}
