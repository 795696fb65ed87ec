namespace Compat.RandomShapes;

/// <summary>
/// The member types a random shape draws from: primitives (with <see cref="Values"/>' edge values), strings, and the
/// collections, nullables, tuples and pairs built over other member types. <c>V</c> is <see cref="Values"/> and
/// <c>SV</c> <see cref="ShapeValues"/> in the rendered source.
/// </summary>
public sealed class MemberTypes
{
    // About how many items a random collection holds (Values.Count: mostly 0-12, sometimes 300).
    private const double ItemsPerCollection = 20;

    public static readonly IReadOnlyList<MemberType> Primitives =
    [
        Primitive("bool", "Bool", 1, 1),
        Primitive("byte", "Byte", 1, 1, key: true),
        Primitive("sbyte", "SByte", 1, 1),
        Primitive("short", "Short", 2, 2, key: true),
        Primitive("ushort", "UShort", 2, 2),
        Primitive("int", "Int", 4, 4, key: true),
        Primitive("uint", "UInt", 4, 4),
        Primitive("long", "Long", 8, 8, key: true),
        Primitive("ulong", "ULong", 8, 8),
        Primitive("float", "Float", 4, 4),
        Primitive("double", "Double", 8, 8),
        Primitive("decimal", "Decimal", 16, 8),
        Primitive("char", "Char", 2, 2, key: true),
        Primitive("Half", "Half", 2, 2),
        Primitive("Int128", "Int128", 16, 16),
        Primitive("Guid", "Guid", 16, 4, key: true),
        Primitive("DateTime", "DateTime", 8, 8),
        Primitive("TimeSpan", "TimeSpan", 8, 8),
        Primitive("DateOnly", "DateOnly", 4, 4),
        Primitive("TimeOnly", "TimeOnly", 8, 8),
        // A DateTime and a short offset: six bytes of padding.
        Primitive("DateTimeOffset", "DateTimeOffset", 16, 8, padded: true) with { Raw = new RawLayout(16, 8, true, Auto: true) },
    ];

    /// <summary>A string, rarely with a lone surrogate; a key never holds one (two could read back as one key).</summary>
    public static readonly MemberType String = new("string?", r => $"SV.Text({r})", false, null, false, r => $"V.NonNullText({r})");

    /// <summary>A <c>[Utf16StringFormatter]</c> member's string, often with a lone surrogate (UTF-16 carries it).</summary>
    public static readonly MemberType Utf16String = String with { Make = r => $"SV.Utf16Text({r})" };

    /// <summary>Integral types an enum can have, with the <see cref="Values"/> method that makes one.</summary>
    public static readonly IReadOnlyList<(string Type, string Values, int Size)> EnumUnderlyings =
    [
        ("byte", "Byte", 1), ("sbyte", "SByte", 1), ("short", "Short", 2), ("ushort", "UShort", 2),
        ("int", "Int", 4), ("uint", "UInt", 4), ("long", "Long", 8), ("ulong", "ULong", 8),
    ];

    private int _lambdas;

    public static MemberType Enum(EnumDeclaration declaration)
    {
        (string _, string values, int size) = EnumUnderlyings.Single(u => u.Type == declaration.Underlying);
        Func<string, string> make = r => $"({declaration.Name})V.{values}({r})";
        return new MemberType(declaration.Name, make, true, new RawLayout(size, size, false), false, make);
    }

    public static MemberType Unmanaged(UnmanagedStruct declaration)
    {
        RawLayout layout = RawLayout.Sequential(declaration.Fields.Select(f => f.Type.Raw!).ToList());
        return new MemberType(declaration.Name, r => $"{declaration.Name}.Make({r})", true, layout, layout.Padded);
    }

    /// <summary>An earlier shape as a member: a class is null now and then; a union's factory gives null itself.</summary>
    public static MemberType OfShape(Shape shape, double cost)
    {
        string make(string r) => $"Factories.Make{shape.Index}({r})";
        if (shape.IsValueType)
        {
            // A [MemoryPackable] struct that holds no references is copied raw, as any unmanaged struct.
            RawLayout? raw = shape.Kind != ShapeKind.Generic && shape.Members.All(m => m.Type.Raw is not null)
                ? RawLayout.Sequential(shape.Members.Select(m => m.Type.Raw!).ToList())
                : null;
            return new MemberType(shape.TypeName, make, true, raw, shape.Stale || raw?.Padded == true, Cost: cost);
        }
        return shape.Kind == ShapeKind.Union
            ? new MemberType(shape.TypeName + "?", make, false, null, shape.Stale, Cost: cost)
            : new MemberType(shape.TypeName + "?", r => $"V.Chance({r}, 15) ? null : {make(r)}", false, null, shape.Stale, Cost: cost);
    }

    public MemberType Array(MemberType item) =>
        Collection($"{item.Name}[]?", item, (r, x) => $"V.Array<{item.Name}>({r}, {x} => {item.Make(x)})");

    /// <summary>A large array of raw values (only a shape's own member: too large to nest, or to reuse its shape).</summary>
    public MemberType LargeArray(MemberType item) =>
        Collection($"{item.Name}[]?", item, (r, x) => $"SV.LargeArray<{item.Name}>({r}, {x} => {item.Make(x)})") with { Cost = 2000 };

    public MemberType List(MemberType item) =>
        Collection($"List<{item.Name}>?", item, (r, x) => $"V.List<{item.Name}>({r}, {x} => {item.Make(x)})");

    public MemberType Queue(MemberType item) =>
        Collection($"Queue<{item.Name}>?", item, (r, x) => $"SV.Queue<{item.Name}>({r}, {x} => {item.Make(x)})");

    public MemberType Stack(MemberType item) =>
        Collection($"Stack<{item.Name}>?", item, (r, x) => $"SV.Stack<{item.Name}>({r}, {x} => {item.Make(x)})");

    public MemberType HashSet(MemberType key) =>
        Collection($"HashSet<{key.NonNullName}>?", key, (r, x) => $"SV.HashSet<{key.NonNullName}>({r}, {x} => {key.Key!(x)})");

    public MemberType SortedSet(MemberType key) =>
        Collection($"SortedSet<{key.NonNullName}>?", key, (r, x) => $"SV.SortedSet<{key.NonNullName}>({r}, {x} => {key.Key!(x)})");

    public MemberType LinkedList(MemberType item) =>
        Collection($"LinkedList<{item.Name}>?", item, (r, x) => $"SV.LinkedList<{item.Name}>({r}, {x} => {item.Make(x)})");

    public MemberType Grid(MemberType item) =>
        Collection($"{item.Name}[,]?", item, (r, x) => $"SV.Grid<{item.Name}>({r}, {x} => {item.Make(x)})");

    /// <summary>A collection interface (<c>IList</c>, <c>IEnumerable</c>, ...) holding a list.</summary>
    public MemberType ListInterface(string name, MemberType item) =>
        Collection($"{name}<{item.Name}>?", item, (r, x) => $"V.List<{item.Name}>({r}, {x} => {item.Make(x)})");

    public MemberType SetInterface(MemberType key) =>
        Collection($"ISet<{key.NonNullName}>?", key, (r, x) => $"SV.HashSet<{key.NonNullName}>({r}, {x} => {key.Key!(x)})");

    /// <summary><c>Memory&lt;T&gt;</c> or <c>ReadOnlyMemory&lt;T&gt;</c> over an array (a null array gives the default).</summary>
    public MemberType Memory(string name, MemberType item)
    {
        MemberType array = Array(item);
        return array with { Name = $"{name}<{item.Name}>", Make = r => $"({name}<{item.Name}>)({array.Make(r)})", IsValueType = true };
    }

    /// <param name="name"><c>Dictionary</c>, <c>SortedDictionary</c>, <c>IDictionary</c> or <c>IReadOnlyDictionary</c>.</param>
    public MemberType Dictionary(MemberType key, MemberType value, string name = "Dictionary")
    {
        string type = $"{name}<{key.NonNullName}, {value.Name}>?";
        string helper = name == "SortedDictionary" ? "SV.SortedDictionary" : "V.Dictionary";
        string x = Lambda();
        string y = Lambda();
        // Entries of a raw key and value are copied as raw KeyValuePairs, padding included (MemoryPack leaves it stale).
        bool paddedEntries = key.Raw is not null && value.Raw is not null && RawLayout.Sequential([key.Raw, value.Raw]).Padded;
        return new MemberType(type, r => $"{helper}<{key.NonNullName}, {value.Name}>({r}, {x} => {key.Key!(x)}, {y} => {value.Make(y)})",
            false, null, value.Stale || paddedEntries, Cost: ItemsPerCollection * (1 + value.Cost));
    }

    /// <summary>A <c>System.Tuple</c> (a class), sometimes null.</summary>
    public static MemberType ReferenceTuple(IReadOnlyList<MemberType> items)
    {
        string name = $"Tuple<{string.Join(", ", items.Select(i => i.Name))}>";
        return new MemberType(name + "?", r => $"V.Chance({r}, 15) ? null : new {name}({string.Join(", ", items.Select(i => i.Make(r)))})",
            false, null, items.Any(i => i.Stale), Cost: items.Sum(i => i.Cost));
    }

    public static MemberType Nullable(MemberType value)
    {
        RawLayout? raw = value.Raw is null ? null : RawLayout.Sequential([new RawLayout(1, 1, false), value.Raw]);
        return new MemberType(value.Name + "?", r => $"V.Chance({r}, 30) ? null : ({value.Name}?)({value.Make(r)})",
            true, raw, value.Stale || raw?.Padded == true, Cost: value.Cost);
    }

    public static MemberType Tuple(IReadOnlyList<MemberType> items)
    {
        RawLayout? raw = items.All(i => i.Raw is not null) ? TupleLayout(items.Select(i => i.Raw!).ToList()) : null;
        return new MemberType($"({string.Join(", ", items.Select(i => i.Name))})", r => $"({string.Join(", ", items.Select(i => i.Make(r)))})",
            true, raw, items.Any(i => i.Stale) || raw?.Padded == true, Cost: items.Sum(i => i.Cost));
    }

    public static MemberType KeyValuePair(MemberType key, MemberType value)
    {
        string name = $"KeyValuePair<{key.Name}, {value.Name}>";
        RawLayout? raw = key.Raw is not null && value.Raw is not null ? RawLayout.Sequential([key.Raw, value.Raw]) : null;
        return new MemberType(name, r => $"new {name}({key.Make(r)}, {value.Make(r)})",
            true, raw, key.Stale || value.Stale || raw?.Padded == true, Cost: key.Cost + value.Cost);
    }

    /// <summary>A fresh lambda parameter name (nested lambdas must not reuse an outer one).</summary>
    public string Lambda() => $"x{_lambdas++}";

    // ValueTuple's eighth field holds the rest as another tuple.
    private static RawLayout TupleLayout(IReadOnlyList<RawLayout> items) =>
        items.Count <= 7 ? RawLayout.AutoLayout(items) : RawLayout.AutoLayout([.. items.Take(7), TupleLayout(items.Skip(7).ToList())]);

    private MemberType Collection(string name, MemberType item, Func<string, string, string> make)
    {
        string x = Lambda();
        return new MemberType(name, r => make(r, x), false, null, item.Stale, Cost: ItemsPerCollection * item.Cost);
    }

    private static MemberType Primitive(string name, string values, int size, int align, bool key = false, bool padded = false)
    {
        Func<string, string> make = r => $"V.{values}({r})";
        return new MemberType(name, make, true, new RawLayout(size, align, padded), padded, key ? make : null);
    }
}
