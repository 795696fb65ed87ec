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
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in Dictionary<TKey, TValue?>? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }
        // Dictionary's own struct enumerator: through IEnumerable it would be boxed, an allocation per call.
        DictionaryEntries.Write<TKey, TValue, Dictionary<TKey, TValue?>.Enumerator>(ref writer, value.GetEnumerator(), value.Count);
    }

    /// <inheritdoc />
    public override Dictionary<TKey, TValue?>? Deserialize(ref RpcReader reader)
    {
        if (!reader.TryReadCollectionHeader(out int length, DictionaryEntries.MinimumEntrySize<TKey, TValue>()))
        {
            return null;
        }
        var result = new Dictionary<TKey, TValue?>(length);
        DictionaryEntries.Read(ref reader, length, result);
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

    // Generic over the enumerator so that a struct enumerator (Dictionary's) is used as it is, never boxed.
    public static void Write<TKey, TValue, TEnumerator>(ref RpcWriter writer, TEnumerator entries, int count)
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
                    writer.DangerousWriteUnmanaged(entry);
                }
                else
                {
                    writer.WriteValue(entry.Key);
                    writer.WriteValue(entry.Value);
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
            TKey? key;
            TValue? value;
            if (!RuntimeHelpers.IsReferenceOrContainsReferences<KeyValuePair<TKey, TValue?>>())
            {
                KeyValuePair<TKey, TValue?> entry = reader.DangerousReadUnmanaged<KeyValuePair<TKey, TValue?>>();
                key = entry.Key;
                value = entry.Value;
            }
            else
            {
                key = reader.ReadValue<TKey>();
                value = reader.ReadValue<TValue>();
            }
            if (key is null)
            {
                throw new RpcSerializationException("A dictionary key in the payload is null.");
            }
            destination[key] = value;
        }
        reader.ExitDepth();
    }
}
