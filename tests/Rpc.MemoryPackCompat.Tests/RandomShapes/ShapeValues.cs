namespace Compat.RandomShapes;

/// <summary>
/// Value helpers the rendered random shapes call beside <see cref="Values"/>: collections made from
/// <see cref="Values.Array{T}"/> (one expression each, so an object initializer can hold many) and object graphs for
/// circular-reference shapes.
/// </summary>
public static class ShapeValues
{
    public static HashSet<T>? HashSet<T>(Random r, Func<Random, T> item) => Values.Array(r, item) is { } items ? new HashSet<T>(items) : null;

    public static Queue<T>? Queue<T>(Random r, Func<Random, T> item) => Values.Array(r, item) is { } items ? new Queue<T>(items) : null;

    public static Stack<T>? Stack<T>(Random r, Func<Random, T> item) => Values.Array(r, item) is { } items ? new Stack<T>(items) : null;

    public static SortedSet<T>? SortedSet<T>(Random r, Func<Random, T> item) => Values.Array(r, item) is { } items ? new SortedSet<T>(items) : null;

    /// <summary>
    /// Keys distinct by the default comparer, as a reader's <c>SortedDictionary</c> compares them (the culture's
    /// string comparison takes strings of ignorable characters for equal).
    /// </summary>
    public static SortedDictionary<TKey, TValue>? SortedDictionary<TKey, TValue>(Random r, Func<Random, TKey> key, Func<Random, TValue> value)
        where TKey : notnull
    {
        if (Values.Dictionary(r, key, value) is not { } items)
        {
            return null;
        }
        var sorted = new SortedDictionary<TKey, TValue>();
        foreach ((TKey k, TValue v) in items)
        {
            sorted.TryAdd(k, v);
        }
        return sorted;
    }

    public static LinkedList<T>? LinkedList<T>(Random r, Func<Random, T> item) => Values.Array(r, item) is { } items ? new LinkedList<T>(items) : null;

    /// <summary>
    /// Null (sometimes) or an array of 256 to 70,000 values: blocks of unmanaged values from 1 KB up are copied by a
    /// vector loop in Rpc (RawBlockCopy), above 256 KB by memmove again.
    /// </summary>
    public static T[]? LargeArray<T>(Random r, Func<Random, T> item)
    {
        if (Values.Chance(r, 10))
        {
            return null;
        }
        int[] counts = [256, 257, 1000, 4096, 4099, 20000, 70000];
        var result = new T[counts[r.Next(counts.Length)] + (Values.Chance(r, 30) ? r.Next(64) : 0)];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = item(r);
        }
        return result;
    }

    /// <summary>Null (sometimes) or a two-dimensional array, either side possibly empty.</summary>
    public static T[,]? Grid<T>(Random r, Func<Random, T> item)
    {
        if (Values.Chance(r, 10))
        {
            return null;
        }
        var grid = new T[r.Next(4), r.Next(4)];
        for (int i = 0; i < grid.GetLength(0); i++)
        {
            for (int j = 0; j < grid.GetLength(1); j++)
            {
                grid[i, j] = item(r);
            }
        }
        return grid;
    }

    /// <summary>
    /// <see cref="Values.Text"/>, rarely with a lone surrogate: UTF-8 cannot carry it, and both libraries must refuse
    /// to write it (the tests check that), so a value rarely holds one.
    /// </summary>
    public static string? Text(Random r) => WithLoneSurrogate(r, Values.Text(r), perMille: 3);

    /// <summary><see cref="Values.Text"/>, now and then with a lone surrogate (a UTF-16 string carries it).</summary>
    public static string? Utf16Text(Random r) => WithLoneSurrogate(r, Values.Text(r), perMille: 100);

    private static string? WithLoneSurrogate(Random r, string? text, int perMille)
    {
        if (text is null || r.Next(1000) >= perMille)
        {
            return text;
        }
        int at = r.Next(text.Length + 1);
        return text[..at] + (Values.Bool(r) ? '\uD800' : '\uDFFF') + text[at..];
    }

    /// <summary>Null or one of the cases.</summary>
    public static T? OneOf<T>(Random r, params Func<Random, T>[] cases) where T : class
    {
        int pick = r.Next(cases.Length + 1);
        return pick == cases.Length ? null : cases[pick](r);
    }

    /// <summary>
    /// 1-8 nodes linked at random (shared nodes and cycles): <paramref name="link"/> sets a node's references to
    /// nodes it picks from the list. Returns the first node.
    /// </summary>
    public static T Graph<T>(Random r, Func<Random, T> make, Action<Random, T, IReadOnlyList<T>> link)
    {
        var nodes = new List<T>();
        int count = 1 + r.Next(8);
        for (int i = 0; i < count; i++)
        {
            nodes.Add(make(r));
        }
        foreach (T node in nodes)
        {
            link(r, node, nodes);
        }
        return nodes[0];
    }

    /// <summary>Null (sometimes) or a node of the graph.</summary>
    public static T? Pick<T>(Random r, IReadOnlyList<T> nodes) where T : class => Values.Chance(r, 25) ? null : nodes[r.Next(nodes.Count)];

    /// <summary>Null (sometimes) or a list of nodes of the graph (some null).</summary>
    public static List<T?>? PickMany<T>(Random r, IReadOnlyList<T> nodes) where T : class =>
        Values.Chance(r, 30) ? null : Enumerable.Range(0, r.Next(4)).Select(_ => Pick(r, nodes)).ToList();
}
