using System.Collections.Generic;
using System.Linq;

namespace Rpc.Serialization.Formatters;

/// <summary>
/// Collection interfaces (<c>ICollection</c>, <c>IReadOnlyCollection</c>, <c>IList</c>,
/// <c>IReadOnlyList</c>): written as a count and the elements; read back as a <c>List&lt;T&gt;</c>.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class ListInterfaceFormatter<TInterface, T> : RpcFormatter<TInterface>
    where TInterface : class, IEnumerable<T?>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in TInterface? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }
        if (value is T?[] array)
        {
            CollectionElements.WriteSpan<T>(ref writer, array);
            return;
        }
        if (value is List<T?> list)
        {
            CollectionElements.WriteSpan<T>(ref writer, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list));
            return;
        }
        IEnumerable<T?> items = value;
        int count = value switch
        {
            ICollection<T?> collection => collection.Count,
            IReadOnlyCollection<T?> collection => collection.Count,
            _ => (items = value.ToArray()).Count(),
        };
        CollectionWriting.WriteCollection<T>(ref writer, items, count);
    }

    /// <inheritdoc />
    public override TInterface? Deserialize(ref RpcReader reader)
    {
        List<T?>? list = Shared<T>.List.Deserialize(ref reader);
        return list as TInterface;
    }
}

/// <summary>
/// <c>IEnumerable&lt;T&gt;</c>: written as a count and the elements; read back as a <c>T[]</c>, as MemoryPack reads it.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class EnumerableInterfaceFormatter<T> : RpcFormatter<IEnumerable<T?>>
{
    private static readonly ListInterfaceFormatter<IEnumerable<T?>, T> s_writer = new();

    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in IEnumerable<T?>? value) => s_writer.Serialize(ref writer, value);

    /// <inheritdoc />
    public override IEnumerable<T?>? Deserialize(ref RpcReader reader) => CollectionElements.ReadArray<T>(ref reader);
}

/// <summary>Set interfaces (<c>ISet</c>, <c>IReadOnlySet</c>): read back as a <c>HashSet&lt;T&gt;</c>.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class SetInterfaceFormatter<TInterface, T> : RpcFormatter<TInterface>
    where TInterface : class, IEnumerable<T?>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in TInterface? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }
        IEnumerable<T?> items = value;
        int count = value is ICollection<T?> collection ? collection.Count : (items = value.ToArray()).Count();
        CollectionWriting.WriteCollection<T>(ref writer, items, count);
    }

    /// <inheritdoc />
    public override TInterface? Deserialize(ref RpcReader reader) =>
        Shared<T>.HashSet.Deserialize(ref reader) as TInterface;
}

/// <summary>Dictionary interfaces (<c>IDictionary</c>, <c>IReadOnlyDictionary</c>): read back as a <c>Dictionary</c>.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class DictionaryInterfaceFormatter<TInterface, TKey, TValue> : RpcFormatter<TInterface>
    where TInterface : class, IEnumerable<KeyValuePair<TKey, TValue?>>
    where TKey : notnull
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in TInterface? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }
        IEnumerable<KeyValuePair<TKey, TValue?>> entries = value;
        int count = value switch
        {
            ICollection<KeyValuePair<TKey, TValue?>> collection => collection.Count,
            IReadOnlyCollection<KeyValuePair<TKey, TValue?>> collection => collection.Count,
            _ => (entries = value.ToArray()).Count(),
        };
        DictionaryEntries.Write<TKey, TValue>(ref writer, entries, count);
    }

    /// <inheritdoc />
    public override TInterface? Deserialize(ref RpcReader reader) =>
        SharedDictionary<TKey, TValue>.Instance.Deserialize(ref reader) as TInterface;
}

/// <summary>The concrete formatters interface formatters read into, made once per element type.</summary>
internal static class Shared<T>
{
    public static readonly ListFormatter<T> List = new();
    public static readonly AddableCollectionFormatter<HashSet<T?>, T> HashSet = new();
}

/// <summary>The concrete dictionary formatter interface formatters read into.</summary>
internal static class SharedDictionary<TKey, TValue>
    where TKey : notnull
{
    public static readonly DictionaryFormatter<TKey, TValue> Instance = new();
}
