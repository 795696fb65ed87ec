namespace Compat.RandomShapes;

/// <summary>
/// How a value type lies in memory when it holds no references: MemoryPack copies such values raw, padding included.
/// <see cref="Padded"/>: the value has bytes no field covers, which MemoryPack may write stale (see ShapeCase).
/// <see cref="Auto"/>: the type or one of its fields is <c>LayoutKind.Auto</c> (MemoryPack refuses such a field in a
/// <c>[MemoryPackable]</c> struct that holds no references, MEMPACK034).
/// </summary>
public sealed record RawLayout(int Size, int Align, bool Padded, bool Auto = false)
{
    /// <summary>Fields in declaration order (a struct without <c>StructLayout</c>, <c>Nullable</c>, <c>KeyValuePair</c>).</summary>
    public static RawLayout Sequential(IReadOnlyList<RawLayout> fields)
    {
        int offset = 0;
        int align = 1;
        bool padded = false;
        bool auto = false;
        foreach (RawLayout field in fields)
        {
            auto |= field.Auto;
            int start = RoundUp(offset, field.Align);
            padded |= field.Padded || start != offset;
            offset = start + field.Size;
            align = Math.Max(align, field.Align);
        }
        int size = RoundUp(offset, align);
        return new RawLayout(size, align, padded || size != offset, auto);
    }

    /// <summary>
    /// <c>LayoutKind.Auto</c> (value tuples): the runtime may reorder the fields, so only fields of one size are
    /// known to leave no gap; anything else counts as padded (a weaker comparison, never a flaky one).
    /// </summary>
    public static RawLayout AutoLayout(IReadOnlyList<RawLayout> fields)
    {
        RawLayout sequential = Sequential(fields);
        bool oneSize = fields.All(f => f.Size == fields[0].Size && f.Size == f.Align);
        return sequential with { Padded = sequential.Padded || !oneSize, Auto = true };
    }

    private static int RoundUp(int value, int align) => (value + align - 1) / align * align;
}

/// <summary>
/// A member's type in a random shape: its C# spelling (with MemoryPack's names) and how the rendered source makes a
/// random value of it.
/// </summary>
/// <param name="Name">The C# spelling, nullable annotation included (<c>List&lt;int&gt;?</c>).</param>
/// <param name="Make">A C# expression for a random value, given the name of the <see cref="Random"/> in scope.</param>
/// <param name="IsValueType">A struct (so <c>Nullable&lt;T&gt;</c> of it is drawn, not <c>T?</c> of a class).</param>
/// <param name="Raw">The layout when the type holds no references (MemoryPack copies it raw), else null.</param>
/// <param name="Stale">MemoryPack may write stale padding bytes somewhere in a value of this type.</param>
/// <param name="Key">For types that can be dictionary keys and set items: a C# expression for a non-null value.</param>
/// <param name="Cost">About how many leaf values a random value holds (keeps nested collections of shapes small).</param>
public sealed record MemberType(
    string Name,
    Func<string, string> Make,
    bool IsValueType,
    RawLayout? Raw,
    bool Stale,
    Func<string, string>? Key = null,
    double Cost = 1)
{
    /// <summary>The spelling without a trailing nullable annotation (for <c>new List&lt;T&gt;</c>, keys, ...).</summary>
    public string NonNullName => !IsValueType && Name.EndsWith('?') ? Name[..^1] : Name;
}
