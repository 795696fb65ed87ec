namespace Compat.RandomShapes;

/// <summary>
/// Draws random type shapes from a seed: plain classes (properties, fields, init-only, an ignored member, a
/// constructor taking some members, explicit layout), derived classes, records, structs, record structs, generic
/// classes and structs, unions on an interface or abstract class (cases plain or version-tolerant), version-tolerant
/// classes (order ids with gaps, or sequential layout), circular-reference classes, and bare member types as the whole
/// payload. Members are primitives, strings, enums, raw structs, nullables, arrays, grids, lists, dictionaries, sets,
/// queues, stacks, sorted and linked collections, collection interfaces, memories, value and reference tuples, pairs,
/// large raw arrays and earlier shapes. Some classes, records and structs are followed by a newer version of
/// themselves (see <see cref="Shape.EvolvesFrom"/>).
/// Left out because MemoryPack refuses them: a <c>[MemoryPackable]</c> struct holding no references but a
/// <c>LayoutKind.Auto</c> field (MEMPACK034; such a struct gets a string member). Lone surrogates in UTF-8 strings are
/// drawn rarely: both libraries refuse to write them, which the test checks.
/// </summary>
public sealed class ShapeGenerator
{
    // A member's value holds about this many leaf values at most (nested collections of shapes grow fast).
    private const double MaxCost = 3000;

    private static readonly ushort[] s_unionTags = [0, 1, 2, 3, 7, 100, 249, 250, 251, 255, 256, 300, 1000, 65535];

    private readonly Random _r;
    private readonly MemberTypes _types = new();
    private readonly List<EnumDeclaration> _enums = [];
    private readonly List<UnmanagedStruct> _structs = [];
    private readonly List<Shape> _shapes = [];
    // Earlier shapes a member may hold (not newer versions).
    private readonly List<MemberType> _shapeTypes = [];

    private ShapeGenerator(int seed) => _r = new Random(seed);

    public static ShapeSet Generate(int seed, int count)
    {
        var generator = new ShapeGenerator(seed);
        generator.DrawHelpers();
        while (generator._shapes.Count < count)
        {
            generator.DrawShape();
        }
        return new ShapeSet(seed, generator._enums, generator._structs, generator._shapes);
    }

    private void DrawHelpers()
    {
        for (int i = 0; i < 3; i++)
        {
            var underlying = MemberTypes.EnumUnderlyings[_r.Next(MemberTypes.EnumUnderlyings.Count)];
            _enums.Add(new EnumDeclaration($"E{i}", underlying.Type, ["A = 0", "B = 1", "C = 5"]));
        }
        for (int i = 0; i < 3; i++)
        {
            int count = 1 + _r.Next(4);
            var fields = Enumerable.Range(0, count).Select(f => new Member($"F{f}", RawLeaf(), f)).ToList();
            _structs.Add(new UnmanagedStruct($"U{i}", fields));
        }
    }

    private void DrawShape()
    {
        int index = _shapes.Count;
        int pick = _r.Next(100);
        Shape shape = pick switch
        {
            < 20 => Class(index),
            < 25 => Derived(index),
            // A record's parameters carry no string format (that would need a property: target).
            < 33 => new Shape(index, ShapeKind.Record, Members(1 + _r.Next(5), strings: false)),
            < 43 => new Shape(index, ShapeKind.Struct, StructMembers(1 + _r.Next(5), strings: true)) { AsFields = Values.Chance(_r, 50) },
            < 48 => new Shape(index, ShapeKind.RecordStruct, StructMembers(1 + _r.Next(4), strings: false)),
            < 58 => new Shape(index, ShapeKind.Generic, Members(_r.Next(3), strings: true)) { TypeArgument = Draw(1), GenericStruct = Values.Chance(_r, 30) },
            < 70 => Union(index),
            < 80 => Values.Chance(_r, 25)
                ? new Shape(index, ShapeKind.VersionTolerant, Members(1 + _r.Next(6), strings: true)) { Layout = "Sequential" }
                : new Shape(index, ShapeKind.VersionTolerant, Ordered(Members(1 + _r.Next(6), strings: true), gaps: true)),
            < 85 => Class(index),
            < 90 => new Shape(index, ShapeKind.Root, []) { TypeArgument = Draw(0) },
            _ => new Shape(index, ShapeKind.CircularReference, Ordered(Members(_r.Next(4), strings: true), gaps: false)),
        };
        _shapes.Add(shape);
        if (shape.Kind != ShapeKind.Root && (shape.Kind is not (ShapeKind.CircularReference or ShapeKind.Union or ShapeKind.Generic) || Values.Chance(_r, 50)))
        {
            double cost = 1 + shape.AllMembers.Sum(m => m.Type.Cost) / Math.Max(1, shape.Cases.Count) + (shape.TypeArgument?.Cost ?? 0) * 21;
            // A circular-reference shape's graph holds up to 8 nodes.
            cost *= shape.Kind == ShapeKind.CircularReference ? 8 : 1;
            if (cost < MaxCost / 10)
            {
                _shapeTypes.Add(MemberTypes.OfShape(shape, cost));
            }
        }
        // Not a struct that holds no references: MemoryPack copies it raw, with no member count to evolve.
        bool evolves = shape.Kind is ShapeKind.Class or ShapeKind.VersionTolerant or ShapeKind.Record
            || shape.Kind is ShapeKind.Struct or ShapeKind.RecordStruct && shape.Members.Any(m => m.Type.Raw is null);
        if (evolves && shape.Layout != "Explicit" && Values.Chance(_r, 40))
        {
            _shapes.Add(NewVersion(shape));
        }
    }

    /// <summary>
    /// A newer version: members appended (an object type reads the old payload with the new ones at their
    /// defaults); a version-tolerant type also loses a member and declares the rest in another order.
    /// </summary>
    private Shape NewVersion(Shape old)
    {
        var members = old.Members.ToList();
        int nextOrder = members.Count == 0 ? 0 : members.Max(m => m.Order) + 1;
        if (old.Kind == ShapeKind.VersionTolerant && old.Layout is null)
        {
            if (members.Count >= 2)
            {
                members.RemoveAt(_r.Next(members.Count));
            }
            members = members.OrderBy(_ => _r.Next()).ToList();
        }
        int added = 1 + _r.Next(3);
        for (int i = 0; i < added; i++)
        {
            members.Add(new Member($"N{i}", Draw(0), nextOrder + i));
        }
        return new Shape(_shapes.Count, old.Kind, members) { AsFields = old.AsFields, InitOnly = old.InitOnly, Layout = old.Layout, EvolvesFrom = old.Index };
    }

    /// <summary>A plain class: properties or fields, some init-only, an ignored member, or an explicit layout.</summary>
    private Shape Class(int index)
    {
        List<Member> members = Members(1 + _r.Next(6), strings: true);
        bool asFields = Values.Chance(_r, 25);
        var shape = new Shape(index, ShapeKind.Class, members)
        {
            AsFields = asFields, InitOnly = !asFields && Values.Chance(_r, 20), WithIgnored = !asFields && Values.Chance(_r, 20),
        };
        if (!asFields && !shape.InitOnly && Values.Chance(_r, 20))
        {
            // A [MemoryPackConstructor] taking some of the members, in another order than declared.
            return shape with { ConstructorMembers = members.Where(_ => Values.Bool(_r)).Select(m => m.Name).OrderBy(_ => _r.Next()).ToList() };
        }
        // SerializeLayout.Explicit: order ids declared out of order.
        return Values.Chance(_r, 15) ? shape with { Members = members.OrderBy(_ => _r.Next()).ToList(), Layout = "Explicit" } : shape;
    }

    /// <summary>A class derived from an earlier plain class (one without a newer version, layout or base).</summary>
    private Shape Derived(int index)
    {
        var bases = _shapes.Where(s => s.Kind == ShapeKind.Class && s.Layout is null && s.EvolvesFrom is null && !s.InitOnly && s.ConstructorMembers.Count == 0).ToList();
        return bases.Count == 0
            ? Class(index)
            : new Shape(index, ShapeKind.Derived, Members(_r.Next(4), strings: true, prefix: "D")) { Base = bases[_r.Next(bases.Count)] };
    }

    private Shape Union(int index)
    {
        bool onInterface = Values.Chance(_r, 50);
        var tags = s_unionTags.OrderBy(_ => _r.Next()).Take(2 + _r.Next(2)).ToList();
        var cases = tags.Select((tag, i) => onInterface && Values.Chance(_r, 25)
            ? new UnionCase($"S{index}C{i}", tag, Ordered(Members(_r.Next(4), strings: true, prefix: $"C{i}M"), gaps: true), VersionTolerant: true)
            : new UnionCase($"S{index}C{i}", tag, Members(_r.Next(4), strings: true, prefix: $"C{i}M"))).ToList();
        return new Shape(index, ShapeKind.Union, onInterface ? [] : Members(_r.Next(3), strings: true)) { Cases = cases, UnionOnInterface = onInterface };
    }

    /// <summary>Order ids in declaration order, now and then skipping one or two (as a deleted member would).</summary>
    private List<Member> Ordered(List<Member> members, bool gaps)
    {
        int order = 0;
        var result = new List<Member>();
        foreach (Member member in members)
        {
            result.Add(member with { Order = order });
            order += 1 + (gaps && Values.Chance(_r, 20) ? (Values.Chance(_r, 20) ? 10 + _r.Next(20) : 1 + _r.Next(2)) : 0);
        }
        return result;
    }

    /// <summary>
    /// A struct's members: one holding no references but a <c>LayoutKind.Auto</c> field (a value tuple, a
    /// DateTimeOffset) is left out (MemoryPack refuses it, MEMPACK034), by adding a string member.
    /// </summary>
    private List<Member> StructMembers(int count, bool strings)
    {
        List<Member> members = Members(count, strings);
        if (members.All(m => m.Type.Raw is not null) && members.Any(m => m.Type.Raw!.Auto))
        {
            members.Add(new Member($"M{members.Count}", MemberTypes.String, members.Count));
        }
        return members;
    }

    private List<Member> Members(int count, bool strings, string prefix = "M")
    {
        var members = new List<Member>();
        for (int i = 0; i < count; i++)
        {
            MemberType type = Draw(0);
            string? format = strings && type == MemberTypes.String && Values.Chance(_r, 40)
                ? (Values.Bool(_r) ? "Utf16StringFormatter" : "Utf8StringFormatter")
                : null;
            members.Add(new Member($"{prefix}{i}", format == "Utf16StringFormatter" ? MemberTypes.Utf16String : type, i, format));
        }
        return members;
    }

    /// <summary>A random member type; deeper levels are mostly leaves.</summary>
    private MemberType Draw(int depth)
    {
        for (int attempt = 0; attempt < 10; attempt++)
        {
            MemberType type = DrawOnce(depth);
            if (type.Cost <= MaxCost)
            {
                return type;
            }
        }
        return Leaf();
    }

    private MemberType DrawOnce(int depth)
    {
        int pick = _r.Next(depth >= 2 ? 30 : 100);
        return pick switch
        {
            < 30 => Leaf(),
            < 35 => _types.Array(Draw(depth + 1)),
            < 40 => _types.List(Draw(depth + 1)),
            < 44 => _types.Dictionary(Key(), Draw(depth + 1)),
            < 47 => _types.HashSet(Key()),
            < 49 => _types.Queue(Draw(depth + 1)),
            < 51 => _types.Stack(Draw(depth + 1)),
            < 59 => OtherCollection(depth),
            < 64 => MemberTypes.Nullable(ValueType(depth + 1)),
            < 68 => MemberTypes.Tuple(Enumerable.Range(0, 2 + _r.Next(3)).Select(_ => Draw(depth + 1)).ToList()),
            < 70 when depth == 0 => MemberTypes.Tuple(Enumerable.Range(0, 8 + _r.Next(3)).Select(_ => Draw(2)).ToList()),
            < 72 => MemberTypes.ReferenceTuple(Enumerable.Range(0, 1 + _r.Next(3)).Select(_ => Draw(depth + 1)).ToList()),
            < 75 => MemberTypes.KeyValuePair(Draw(depth + 1), Draw(depth + 1)),
            < 88 when _shapeTypes.Count > 0 => _shapeTypes[_r.Next(_shapeTypes.Count)],
            < 94 => MemberTypes.Unmanaged(_structs[_r.Next(_structs.Count)]),
            _ => Leaf(),
        };
    }

    private MemberType OtherCollection(int depth) => _r.Next(15) switch
    {
        14 when depth == 0 => _types.LargeArray(Values.Chance(_r, 30) ? MemberTypes.Unmanaged(_structs[_r.Next(_structs.Count)]) : RawLeaf()),
        0 => _types.SortedSet(Key()),
        1 => _types.Dictionary(Key(), Draw(depth + 1), "SortedDictionary"),
        2 => _types.LinkedList(Draw(depth + 1)),
        3 => _types.Grid(Draw(depth + 1)),
        4 => _types.ListInterface("IList", Draw(depth + 1)),
        5 => _types.ListInterface("IReadOnlyList", Draw(depth + 1)),
        6 => _types.ListInterface("ICollection", Draw(depth + 1)),
        7 => _types.ListInterface("IReadOnlyCollection", Draw(depth + 1)),
        8 => _types.ListInterface("IEnumerable", Draw(depth + 1)),
        9 => _types.SetInterface(Key()),
        10 => _types.Dictionary(Key(), Draw(depth + 1), "IDictionary"),
        11 => _types.Dictionary(Key(), Draw(depth + 1), "IReadOnlyDictionary"),
        12 => _types.Memory("Memory", Draw(depth + 1)),
        _ => _types.Memory("ReadOnlyMemory", Draw(depth + 1)),
    };

    /// <summary>A value type that is not itself a <c>Nullable</c>.</summary>
    private MemberType ValueType(int depth)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            MemberType type = Draw(depth);
            if (type.IsValueType && !type.Name.EndsWith('?'))
            {
                return type;
            }
        }
        return MemberTypes.Primitives[_r.Next(MemberTypes.Primitives.Count)];
    }

    private MemberType Leaf() => _r.Next(10) switch
    {
        < 6 => MemberTypes.Primitives[_r.Next(MemberTypes.Primitives.Count)],
        < 9 => MemberTypes.String,
        _ => MemberTypes.Enum(_enums[_r.Next(_enums.Count)]),
    };

    private MemberType RawLeaf() => Values.Chance(_r, 15)
        ? MemberTypes.Enum(_enums[_r.Next(_enums.Count)])
        : MemberTypes.Primitives[_r.Next(MemberTypes.Primitives.Count)];

    private MemberType Key()
    {
        int pick = _r.Next(10);
        if (pick < 3)
        {
            return MemberTypes.String;
        }
        if (pick < 4)
        {
            return MemberTypes.Enum(_enums[_r.Next(_enums.Count)]);
        }
        var keys = MemberTypes.Primitives.Where(p => p.Key is not null).ToList();
        return keys[_r.Next(keys.Count)];
    }
}
