using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Rpc.Serialization.Formatters;

/// <summary>Shared element loops for the collection formatters.</summary>
internal static class CollectionElements
{
    /// <summary>The fewest bytes one element can take on the wire: its size when raw, else one header byte.</summary>
    public static int MinimumSize<T>() => RuntimeHelpers.IsReferenceOrContainsReferences<T>() ? 1 : Unsafe.SizeOf<T>();

    /// <summary>
    /// Writes a count and the elements of <paramref name="values"/>. A formatter that writes collections on every
    /// call passes its <paramref name="elements"/> cache: in code shared by all reference types, looking the element
    /// formatter up in <see cref="RpcFormatterProvider"/> costs a runtime helper call per collection.
    /// </summary>
    public static void WriteSpan<T>(ref RpcWriter writer, ReadOnlySpan<T?> values, RpcFormatterCache<T>? elements = null)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            writer.DangerousWriteUnmanagedSpan(values);
            return;
        }
        writer.WriteCollectionHeader(values.Length);
        if (values.Length == 0)
        {
            return;
        }
        writer.EnterDepth();
        RpcFormatter<T> formatter = elements is null ? RpcFormatterProvider.GetFormatter<T>() : elements.Get();
        foreach (T? item in values)
        {
            formatter.Serialize(ref writer, item);
        }
        writer.ExitDepth();
    }

    /// <summary>
    /// A whole payload that is one array of reference-free values: the int32 count (-1 for null) and one block,
    /// copied straight into <paramref name="destination"/> with no writer around it, as MemoryPack does for such arrays.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteRawArrayPayload<T>(IBufferWriter<byte> destination, T?[]? values)
    {
        Debug.Assert(!RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        if (values is null)
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination.GetSpan(4), RpcWireCodes.NullCollection);
            destination.Advance(4);
            return;
        }
        int byteCount = checked(values.Length * Unsafe.SizeOf<T>() + 4);
        Span<byte> span = destination.GetSpan(byteCount);
        if (span.Length < byteCount)
        {
            RpcWriter.ThrowOutputTooSmall(byteCount);
        }
        ref byte head = ref MemoryMarshal.GetReference(span);
        Unsafe.WriteUnaligned(ref head, values.Length);
        RawBlockCopy.Copy(ref Unsafe.Add(ref head, 4), ref Unsafe.As<T?, byte>(ref MemoryMarshal.GetArrayDataReference(values)), byteCount - 4);
        destination.Advance(byteCount);
    }

    /// <summary>Reads <paramref name="destination"/>.Length elements (the count was read already); see <see cref="WriteSpan"/> for <paramref name="elements"/>.</summary>
    public static void ReadInto<T>(ref RpcReader reader, Span<T?> destination, RpcFormatterCache<T>? elements = null)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            reader.DangerousReadUnmanagedSpan(destination);
            return;
        }
        if (destination.Length == 0)
        {
            return;
        }
        reader.EnterDepth();
        RpcFormatter<T> formatter = elements is null ? RpcFormatterProvider.GetFormatter<T>() : elements.Get();
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = formatter.Deserialize(ref reader);
        }
        reader.ExitDepth();
    }

    /// <summary>Reads a count and that many elements into a new array; null for the null marker.</summary>
    public static T?[]? ReadArray<T>(ref RpcReader reader, RpcFormatterCache<T>? elements = null)
    {
        if (!reader.TryReadCollectionHeader(out int length, MinimumSize<T>()))
        {
            return null;
        }
        if (length == 0)
        {
            return Array.Empty<T?>();
        }
        var result = new T?[length];
        ReadInto<T>(ref reader, result, elements);
        return result;
    }
}
