using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace Rpc.Serialization.Formatters;

/// <summary>
/// Dictionaries: int32 count (-1 for null), then the entries: raw <c>KeyValuePair</c> structs when both key and
/// value hold no references, else key then value.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class DictionaryFormatter<TDictionary, TKey, TValue> : RpcFormatter<TDictionary>
    where TDictionary : IDictionary<TKey, TValue?>, new()
    where TKey : notnull
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in TDictionary? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }
        DictionaryEntries.Write<TKey, TValue>(ref writer, value, value.Count);
    }

    /// <inheritdoc />
    public override TDictionary? Deserialize(ref RpcReader reader)
    {
        if (!reader.TryReadCollectionHeader(out int length, DictionaryEntries.MinimumEntrySize<TKey, TValue>()))
        {
            return default;
        }
        var result = new TDictionary();
        DictionaryEntries.Read(ref reader, length, result);
        return result;
    }
}

/// <summary><c>Dictionary&lt;TKey, TValue&gt;</c>, presized on reading.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class DictionaryFormatter<TKey, TValue> : RpcFormatter<Dictionary<TKey, TValue?>>
    where TKey : notnull
{
    // The key and value formatters, found once rather than per entry (see RpcFormatterCache<T>).
    private readonly RpcFormatterCache<TKey> _keys = new();
    private readonly RpcFormatterCache<TValue> _values = new();

    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in Dictionary<TKey, TValue?>? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }
        // Dictionary's own struct enumerator: through IEnumerable it would be boxed, an allocation per call.
        DictionaryEntries.Write<TKey, TValue, Dictionary<TKey, TValue?>.Enumerator>(ref writer, value.GetEnumerator(), value.Count, _keys, _values);
    }

    /// <inheritdoc />
    public override Dictionary<TKey, TValue?>? Deserialize(ref RpcReader reader)
    {
        if (!reader.TryReadCollectionHeader(out int length, DictionaryEntries.MinimumEntrySize<TKey, TValue>()))
        {
            return null;
        }
        var result = new Dictionary<TKey, TValue?>(length);
        // The loop is here rather than in DictionaryEntries.Read: through IDictionary each entry's store would be an
        // interface call.
        reader.EnterDepth();
        for (int i = 0; i < length; i++)
        {
            DictionaryEntries.ReadEntry(ref reader, _keys, _values, out TKey key, out TValue? entryValue);
            result[key] = entryValue;
        }
        reader.ExitDepth();
        return result;
    }
}

/// <summary>The entry loops shared by the dictionary formatters.</summary>
internal static class DictionaryEntries
{
    public static int MinimumEntrySize<TKey, TValue>() =>
        RuntimeHelpers.IsReferenceOrContainsReferences<KeyValuePair<TKey, TValue?>>()
            ? CollectionElements.MinimumSize<TKey>() + CollectionElements.MinimumSize<TValue>()
            : Unsafe.SizeOf<KeyValuePair<TKey, TValue?>>();

    public static void Write<TKey, TValue>(ref RpcWriter writer, IEnumerable<KeyValuePair<TKey, TValue?>> entries, int count) =>
        Write<TKey, TValue, IEnumerator<KeyValuePair<TKey, TValue?>>>(ref writer, entries.GetEnumerator(), count);

    // Generic over the enumerator so that a struct enumerator (Dictionary's) is used as it is, never boxed. A
    // formatter that writes dictionaries on every call passes its caches of the key and value formatters: in code
    // shared by all reference types, a lookup in RpcFormatterProvider costs a runtime helper call per entry.
    public static void Write<TKey, TValue, TEnumerator>(ref RpcWriter writer, TEnumerator entries, int count, RpcFormatterCache<TKey>? keys = null, RpcFormatterCache<TValue>? values = null)
        where TEnumerator : IEnumerator<KeyValuePair<TKey, TValue?>>
    {
        writer.WriteCollectionHeader(count);
        writer.EnterDepth();
        int written = 0;
        // The parameter itself is enumerated: a using variable would be read-only, and a struct enumerator would be
        // advanced on a defensive copy.
        try
        {
            while (entries.MoveNext())
            {
                KeyValuePair<TKey, TValue?> entry = entries.Current;
                if (!RuntimeHelpers.IsReferenceOrContainsReferences<KeyValuePair<TKey, TValue?>>())
                {
                    // From its parts: the entry's padding (a long key and an int value leave 4 bytes) is zeroed.
                    writer.WriteUnmanagedKeyValuePair(entry.Key, entry.Value);
                }
                else if (keys is null || values is null)
                {
                    writer.WriteValue(entry.Key);
                    writer.WriteValue(entry.Value);
                }
                else
                {
                    writer.WriteValue(entry.Key, keys);
                    writer.WriteValue(entry.Value, values);
                }
                written++;
            }
        }
        finally
        {
            entries.Dispose();
        }
        writer.ExitDepth();
        if (written != count)
        {
            throw new RpcSerializationException($"The dictionary changed while it was being serialized ({count} entries announced, {written} written).");
        }
    }

    public static void Read<TKey, TValue>(ref RpcReader reader, int count, IDictionary<TKey, TValue?> destination)
        where TKey : notnull
    {
        reader.EnterDepth();
        for (int i = 0; i < count; i++)
        {
            ReadEntry(ref reader, null, null, out TKey key, out TValue? value);
            destination[key] = value;
        }
        reader.ExitDepth();
    }

    /// <summary>Reads one entry; the caches as in <see cref="Write{TKey, TValue, TEnumerator}"/>. A null key throws.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ReadEntry<TKey, TValue>(ref RpcReader reader, RpcFormatterCache<TKey>? keys, RpcFormatterCache<TValue>? values, out TKey key, out TValue? value)
        where TKey : notnull
    {
        TKey? read;
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<KeyValuePair<TKey, TValue?>>())
        {
            KeyValuePair<TKey, TValue?> entry = reader.DangerousReadUnmanaged<KeyValuePair<TKey, TValue?>>();
            read = entry.Key;
            value = entry.Value;
        }
        else if (keys is null || values is null)
        {
            read = reader.ReadValue<TKey>();
            value = reader.ReadValue<TValue>();
        }
        else
        {
            read = reader.ReadValue(keys);
            value = reader.ReadValue(values);
        }
        key = read ?? throw new RpcSerializationException("A dictionary key in the payload is null.");
    }
}
