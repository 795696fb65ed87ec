using System;
using System.Runtime.CompilerServices;

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
