using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Rpc.Serialization.Formatters;

/// <summary>
/// Rectangular arrays: object header (rank + 1), one int32 length per dimension, int32 total, then the elements
/// row-major; <c>0xFF</c> for null.
/// </summary>
internal static class MultiDimensionalArray
{
    public static void Write<T>(ref RpcWriter writer, Array? array, int rank)
    {
        if (array is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }
        writer.WriteObjectHeader((byte)(rank + 1));
        for (int dimension = 0; dimension < rank; dimension++)
        {
            writer.WriteUnmanaged(array.GetLength(dimension));
        }
        ref T first = ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(array));
        CollectionElements.WriteSpan<T>(ref writer, MemoryMarshal.CreateReadOnlySpan(ref first!, array.Length)!);
    }

    /// <summary>Reads the header and lengths; false for null. Checks that the lengths multiply to the total and fit the input.</summary>
    public static bool TryReadShape<T>(ref RpcReader reader, scoped Span<int> lengths, out int total)
    {
        total = 0;
        if (!reader.TryReadObjectHeader(out byte count))
        {
            return false;
        }
        if (count != lengths.Length + 1)
        {
            throw new RpcSerializationException($"A {lengths.Length}-dimensional array needs header {lengths.Length + 1}, the payload has {count}.");
        }
        long product = 1;
        for (int dimension = 0; dimension < lengths.Length; dimension++)
        {
            lengths[dimension] = reader.ReadUnmanaged<int>();
            if (lengths[dimension] < 0 || lengths[dimension] > Array.MaxLength)
            {
                throw new RpcSerializationException($"Invalid array dimension {lengths[dimension]}.");
            }
            product *= lengths[dimension];
            if (product > Array.MaxLength)
            {
                // The runtime multiplies the lengths in order and refuses (OutOfMemoryException) a running product
                // this large even when a later length is 0, as in [2^30, 2^30, 0].
                throw new RpcSerializationException($"The array's dimensions multiply to more than {Array.MaxLength} elements.");
            }
        }
        if (!reader.TryReadCollectionHeader(out total, CollectionElements.MinimumSize<T>()) || total != product)
        {
            throw new RpcSerializationException($"The array's element count {total} does not match its dimensions (product {product}).");
        }
        return true;
    }

    public static void ReadElements<T>(ref RpcReader reader, Array array)
    {
        ref T first = ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(array));
        CollectionElements.ReadInto<T>(ref reader, MemoryMarshal.CreateSpan(ref first!, array.Length)!);
    }
}

/// <summary><c>T[,]</c>.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class TwoDimensionalArrayFormatter<T> : RpcFormatter<T?[,]>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in T?[,]? value) => MultiDimensionalArray.Write<T>(ref writer, value, 2);

    /// <inheritdoc />
    public override T?[,]? Deserialize(ref RpcReader reader)
    {
        Span<int> lengths = stackalloc int[2];
        if (!MultiDimensionalArray.TryReadShape<T>(ref reader, lengths, out _))
        {
            return null;
        }
        var result = new T?[lengths[0], lengths[1]];
        MultiDimensionalArray.ReadElements<T>(ref reader, result);
        return result;
    }
}

/// <summary><c>T[,,]</c>.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class ThreeDimensionalArrayFormatter<T> : RpcFormatter<T?[,,]>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in T?[,,]? value) => MultiDimensionalArray.Write<T>(ref writer, value, 3);

    /// <inheritdoc />
    public override T?[,,]? Deserialize(ref RpcReader reader)
    {
        Span<int> lengths = stackalloc int[3];
        if (!MultiDimensionalArray.TryReadShape<T>(ref reader, lengths, out _))
        {
            return null;
        }
        var result = new T?[lengths[0], lengths[1], lengths[2]];
        MultiDimensionalArray.ReadElements<T>(ref reader, result);
        return result;
    }
}

/// <summary><c>T[,,,]</c>.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class FourDimensionalArrayFormatter<T> : RpcFormatter<T?[,,,]>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in T?[,,,]? value) => MultiDimensionalArray.Write<T>(ref writer, value, 4);

    /// <inheritdoc />
    public override T?[,,,]? Deserialize(ref RpcReader reader)
    {
        Span<int> lengths = stackalloc int[4];
        if (!MultiDimensionalArray.TryReadShape<T>(ref reader, lengths, out _))
        {
            return null;
        }
        var result = new T?[lengths[0], lengths[1], lengths[2], lengths[3]];
        MultiDimensionalArray.ReadElements<T>(ref reader, result);
        return result;
    }
}
