// The shapes as MemoryPack declares them (edit this file; Twins/RpcTwins.cs is made from it).
// TwinSource.Translate replaces MemoryPack's names by Rpc's; TwinSourceTests checks the copy, RPC_ACCEPT_TWINS=1 rewrites it.
#nullable enable
using System;
using System.Collections.Generic;
using MemoryPack;
using static Compat.Values;

namespace Compat.MemoryPackTwins;

public enum Color : short { Red = 1, Green = 2, Blue = -3 }

[Flags]
public enum Bits : ulong { None = 0, Low = 1, High = 1UL << 63 }

// No padding: MemoryPack copies structs raw and leaves their padding bytes as its (reused) buffer held them, so a
// padded struct's bytes vary from run to run there (Rpc zeroes them); padded values are in the "stale" shapes below.
public struct Point
{
    public int X;
    public int Y;
    public long Z;
    public static Point Make(Random r) => new() { X = Int(r), Y = Int(r), Z = Long(r) };
}

[MemoryPackable]
public partial class Primitives
{
    public bool Bool { get; set; }
    public byte Byte { get; set; }
    public sbyte SByte { get; set; }
    public short Short { get; set; }
    public ushort UShort { get; set; }
    public int Int { get; set; }
    public uint UInt { get; set; }
    public long Long { get; set; }
    public ulong ULong { get; set; }
    public float Float { get; set; }
    public double Double { get; set; }
    public decimal Decimal { get; set; }
    public char Char { get; set; }
    public Half Half { get; set; }
    public Int128 Int128 { get; set; }
    public Guid Guid { get; set; }
    public DateTime DateTime { get; set; }
    public TimeSpan TimeSpan { get; set; }
    public DateOnly DateOnly { get; set; }
    public TimeOnly TimeOnly { get; set; }
    public Color Color { get; set; }
    public Bits Bits { get; set; }
    public Point Point { get; set; }

    public static Primitives Make(Random r) => new()
    {
        Bool = Values.Bool(r), Byte = Values.Byte(r), SByte = Values.SByte(r), Short = Values.Short(r), UShort = Values.UShort(r),
        Int = Values.Int(r), UInt = Values.UInt(r), Long = Values.Long(r), ULong = Values.ULong(r), Float = Values.Float(r),
        Double = Values.Double(r), Decimal = Values.Decimal(r), Char = Values.Char(r), Half = Values.Half(r), Int128 = Values.Int128(r),
        Guid = Values.Guid(r), DateTime = Values.DateTime(r), TimeSpan = Values.TimeSpan(r),
        DateOnly = Values.DateOnly(r), TimeOnly = Values.TimeOnly(r), Color = (Color)Values.Short(r), Bits = (Bits)Values.ULong(r),
        Point = Point.Make(r),
    };
}

[MemoryPackable]
public partial class Strings
{
    public string? Default { get; set; }
    public string Empty { get; set; } = "";
    [Utf16StringFormatter] public string? Utf16 { get; set; }
    [Utf8StringFormatter] public string? Utf8 { get; set; }
    public string?[]? Many { get; set; }

    public static Strings Make(Random r) => new()
    {
        Default = Text(r), Empty = NonNullText(r), Utf16 = Text(r), Utf8 = Text(r), Many = Values.Array(r, Text),
    };
}

[MemoryPackable]
public partial class Collections
{
    public int[]? Ints { get; set; }
    public List<int>? IntList { get; set; }
    public List<string?>? Names { get; set; }
    public Dictionary<int, string?>? Map { get; set; }
    public Dictionary<string, List<int>?>? Nested { get; set; }
    public HashSet<int>? Set { get; set; }
    public SortedSet<long>? Sorted { get; set; }
    public SortedDictionary<int, string?>? SortedMap { get; set; }
    public Queue<int>? Queue { get; set; }
    public Stack<int>? Stack { get; set; }
    public Stack<string?>? NameStack { get; set; }
    public LinkedList<int>? Linked { get; set; }
    public IEnumerable<int>? Enumerable { get; set; }
    public ICollection<string?>? Collection { get; set; }
    public IReadOnlyCollection<int>? ReadOnlyCollection { get; set; }
    public IList<string?>? IList { get; set; }
    public IReadOnlyList<int>? ReadOnlyList { get; set; }
    public IDictionary<string, int>? IDictionary { get; set; }
    public IReadOnlyDictionary<int, int>? ReadOnlyDictionary { get; set; }
    public ISet<int>? ISet { get; set; }
    public int[,]? Grid { get; set; }
    public string?[,,]? Cube { get; set; }
    public int[][]? Jagged { get; set; }
    public Memory<int> Memory { get; set; }
    public ReadOnlyMemory<string?> ReadOnlyMemory { get; set; }
    public ArraySegment<byte> Segment { get; set; }
    public KeyValuePair<int, string?> Pair { get; set; }
    public Point[]? Points { get; set; }

    public static Collections Make(Random r)
    {
        var value = new Collections
        {
            Ints = Values.Array(r, Int),
            IntList = Values.List(r, Int),
            Names = Values.List(r, Text),
            Map = Values.Dictionary(r, Int, Text),
            Nested = Values.Dictionary(r, NonNullText, x => Values.List(x, Int)),
            Set = Values.Array(r, Int) is { } set ? new HashSet<int>(set) : null,
            Sorted = Values.Array(r, Long) is { } sorted ? new SortedSet<long>(sorted) : null,
            SortedMap = Values.Dictionary(r, Int, Text) is { } sortedMap ? new SortedDictionary<int, string?>(sortedMap) : null,
            Queue = Values.Array(r, Int) is { } queue ? new Queue<int>(queue) : null,
            Stack = Values.Array(r, Int) is { } stack ? new Stack<int>(stack) : null,
            NameStack = Values.Array(r, Text) is { } nameStack ? new Stack<string?>(nameStack) : null,
            Linked = Values.Array(r, Int) is { } linked ? new LinkedList<int>(linked) : null,
            Enumerable = Values.Array(r, Int),
            Collection = Values.List(r, Text),
            ReadOnlyCollection = Values.List(r, Int),
            IList = Values.Array(r, Text),
            ReadOnlyList = Values.List(r, Int),
            IDictionary = Values.Dictionary(r, NonNullText, Int),
            ReadOnlyDictionary = Values.Dictionary(r, Int, Int),
            ISet = Values.Array(r, Int) is { } iset ? new HashSet<int>(iset) : null,
            Memory = Chance(r, 20) ? default : Values.Array(r, Int),
            ReadOnlyMemory = Chance(r, 20) ? default : Values.Array(r, Text),
            Segment = Chance(r, 20) ? default : Values.Array(r, Values.Byte) is { } bytes ? new ArraySegment<byte>(bytes, bytes.Length / 3, bytes.Length / 3) : default,
            Pair = new KeyValuePair<int, string?>(Int(r), Text(r)),
            Points = Values.Array(r, Point.Make),
        };
        if (!Chance(r, 15))
        {
            value.Grid = new int[r.Next(4), r.Next(4)];
            for (int i = 0; i < value.Grid.GetLength(0); i++)
            {
                for (int j = 0; j < value.Grid.GetLength(1); j++)
                {
                    value.Grid[i, j] = Int(r);
                }
            }
        }
        if (!Chance(r, 15))
        {
            value.Cube = new string?[r.Next(3), r.Next(3), r.Next(3)];
            for (int i = 0; i < value.Cube.GetLength(0); i++)
            {
                for (int j = 0; j < value.Cube.GetLength(1); j++)
                {
                    for (int k = 0; k < value.Cube.GetLength(2); k++)
                    {
                        value.Cube[i, j, k] = Text(r);
                    }
                }
            }
        }
        if (!Chance(r, 15))
        {
            value.Jagged = new int[r.Next(4)][];
            for (int i = 0; i < value.Jagged.Length; i++)
            {
                value.Jagged[i] = Values.Array(r, Int)!;
            }
        }
        return value;
    }
}

[MemoryPackable]
public partial struct Tagged
{
    public int Id;
    public string? Tag;
    public static Tagged Make(Random r) => new() { Id = Int(r), Tag = Text(r) };
}

[MemoryPackable]
public partial class Nullables
{
    public int? Int { get; set; }
    public double? Double { get; set; }
    public Guid? Guid { get; set; }
    public Color? Color { get; set; }
    public Point? Point { get; set; }
    public DateTimeOffset? When { get; set; }
    public DateTimeOffset Offset { get; set; }
    public Tagged? Tagged { get; set; }
    public (int, string?)? Pair { get; set; }

    public static Nullables Make(Random r) => new()
    {
        Int = Chance(r, 40) ? null : Values.Int(r),
        Double = Chance(r, 40) ? null : Values.Double(r),
        Guid = Chance(r, 40) ? null : Values.Guid(r),
        Color = Chance(r, 40) ? null : (Color)Values.Short(r),
        Point = Chance(r, 40) ? null : Compat.MemoryPackTwins.Point.Make(r),
        When = Chance(r, 40) ? null : Values.DateTimeOffset(r),
        Offset = Values.DateTimeOffset(r),
        Tagged = Chance(r, 40) ? null : Compat.MemoryPackTwins.Tagged.Make(r),
        Pair = Chance(r, 40) ? null : (Values.Int(r), Text(r)),
    };
}

[MemoryPackable]
public partial class Tuples
{
    public (int, string?) Pair { get; set; }
    public (long, long, double) Raw { get; set; }
    public (int, string?, long, double, byte, string?, int, string?) Eight { get; set; }
    public (int, int, int, int, int, int, int, int, int) NineRaw { get; set; }
    public Tuple<int, string?>? Reference { get; set; }
    public Tuple<string?, int, int>? Three { get; set; }

    public static Tuples Make(Random r) => new()
    {
        Pair = (Int(r), Text(r)),
        Raw = (Long(r), Long(r), Values.Double(r)),
        Eight = (Int(r), Text(r), Long(r), Values.Double(r), Values.Byte(r), Text(r), Int(r), Text(r)),
        NineRaw = (Int(r), Int(r), Int(r), Int(r), Int(r), Int(r), Int(r), Int(r), Int(r)),
        Reference = Chance(r, 20) ? null : Tuple.Create(Int(r), Text(r)),
        Three = Chance(r, 20) ? null : Tuple.Create(Text(r), Int(r), Int(r)),
    };
}

[MemoryPackable]
[MemoryPackUnion(0, typeof(Circle))]
[MemoryPackUnion(1, typeof(Square))]
[MemoryPackUnion(300, typeof(Label))]
public partial interface IShape
{
}

[MemoryPackable]
public partial class Circle : IShape
{
    public double Radius { get; set; }
}

[MemoryPackable]
public partial class Square : IShape
{
    public int Side { get; set; }
    public string? Name { get; set; }
}

[MemoryPackable]
public partial class Label : IShape
{
    public string? Text { get; set; }
}

[MemoryPackable]
[MemoryPackUnion(0, typeof(Dog))]
[MemoryPackUnion(1, typeof(Cat))]
public abstract partial class Animal
{
    public string? Name { get; set; }
}

[MemoryPackable]
public partial class Dog : Animal
{
    public int Barks { get; set; }
}

[MemoryPackable]
public partial class Cat : Animal
{
    public List<string?>? Toys { get; set; }
}

[MemoryPackable]
public partial class Unions
{
    public IShape? Main { get; set; }
    public List<IShape?>? All { get; set; }
    public Animal? Pet { get; set; }

    private static IShape? Shape(Random r) => r.Next(4) switch
    {
        0 => null,
        1 => new Circle { Radius = Values.Double(r) },
        2 => new Square { Side = Int(r), Name = Text(r) },
        _ => new Label { Text = Text(r) },
    };

    public static Unions Make(Random r) => new()
    {
        Main = Shape(r),
        All = Values.List(r, Shape),
        Pet = r.Next(3) switch
        {
            0 => null,
            1 => new Dog { Name = Text(r), Barks = Int(r) },
            _ => new Cat { Name = Text(r), Toys = Values.List(r, Text) },
        },
    };
}

[MemoryPackable]
public partial class BaseRecord
{
    public int Id { get; set; }
    public string? Created { get; set; }
}

[MemoryPackable]
public partial class DerivedRecord : BaseRecord
{
    public double Amount { get; set; }
    public List<long>? Lines { get; set; }

    public static DerivedRecord Make(Random r) => new() { Id = Int(r), Created = Text(r), Amount = Values.Double(r), Lines = Values.List(r, Long) };
}

[MemoryPackable]
public partial record Person(string Name, int Age, string? Email);

[MemoryPackable]
public partial class Constructed
{
    [MemoryPackConstructor]
    public Constructed(int id, string? name)
    {
        Id = id;
        Name = name;
    }

    public Constructed() : this(0, null)
    {
    }

    public int Id { get; }
    public string? Name { get; }
    [MemoryPackIgnore] public string Ignored { get; set; } = "ignored";
    [MemoryPackInclude] private long _hidden;

    public static Constructed Make(Random r) => new(Int(r), Text(r)) { _hidden = Long(r) };
}

[MemoryPackable]
public partial class Pair<TKey, TValue>
{
    public TKey? Key { get; set; }
    public TValue? Value { get; set; }
    public List<TValue>? Values { get; set; }
    public Dictionary<string, TKey>? ByName { get; set; }
}

[MemoryPackable]
public partial class Generics
{
    public Pair<int, string?>? Numbered { get; set; }
    public Pair<string, List<int>?>? Named { get; set; }
    public Person? Person { get; set; }
    public Constructed? Constructed { get; set; }

    public static Generics Make(Random r) => new()
    {
        Numbered = Chance(r, 15) ? null : new Pair<int, string?> { Key = Int(r), Value = Text(r), Values = Compat.Values.List(r, Text), ByName = Compat.Values.Dictionary(r, NonNullText, Int) },
        Named = Chance(r, 15) ? null : new Pair<string, List<int>?> { Key = Text(r), Value = Compat.Values.List(r, Int), Values = Compat.Values.List(r, x => Compat.Values.List(x, Int)) },
        Person = Chance(r, 15) ? null : new Person(NonNullText(r), Int(r), Text(r)),
        Constructed = Chance(r, 15) ? null : Compat.MemoryPackTwins.Constructed.Make(r),
    };
}

[MemoryPackable(GenerateType.VersionTolerant)]
public partial class VersionedV1
{
    [MemoryPackOrder(0)] public int A { get; set; }
    [MemoryPackOrder(1)] public string? B { get; set; }
    [MemoryPackOrder(2)] public List<int>? C { get; set; }
    [MemoryPackOrder(3)] public long L { get; set; }

    public static VersionedV1 Make(Random r) => new() { A = Int(r), B = Text(r), C = Values.List(r, Int), L = Long(r) };
}

// Member 1 deleted, members 4 and 5 added.
[MemoryPackable(GenerateType.VersionTolerant)]
public partial class VersionedV2
{
    [MemoryPackOrder(0)] public int A { get; set; }
    [MemoryPackOrder(2)] public List<int>? C { get; set; }
    [MemoryPackOrder(3)] public long L { get; set; }
    [MemoryPackOrder(4)] public double D { get; set; }
    [MemoryPackOrder(5)] public VersionedV1? Inner { get; set; }

    public static VersionedV2 Make(Random r) => new()
    {
        A = Int(r), C = Values.List(r, Int), L = Long(r), D = Values.Double(r),
        Inner = Chance(r, 30) ? null : VersionedV1.Make(r),
    };
}

[MemoryPackable(GenerateType.VersionTolerant, SerializeLayout.Sequential)]
public partial class VersionedSequential
{
    public int A { get; set; }
    public string? B { get; set; }
    public Dictionary<int, string?>? C { get; set; }

    public static VersionedSequential Make(Random r) => new() { A = Int(r), B = Text(r), C = Values.Dictionary(r, Int, Text) };
}

// Nullable and DateTimeOffset members of a version-tolerant type: MemoryPack writes each member through a reused
// scratch buffer and leaves the padding bytes as they were there, so its bytes differ from run to run; Rpc writes
// them as zeros.
[MemoryPackable(GenerateType.VersionTolerant)]
public partial class VersionedPadded
{
    [MemoryPackOrder(0)] public int? N { get; set; }
    [MemoryPackOrder(1)] public double? D { get; set; }
    [MemoryPackOrder(2)] public string? S { get; set; }
    [MemoryPackOrder(3)] public Color? C { get; set; }
    [MemoryPackOrder(4)] public DateTimeOffset When { get; set; }
    [MemoryPackOrder(5)] public DateTimeOffset? MaybeWhen { get; set; }

    public static VersionedPadded Make(Random r) => new()
    {
        N = Chance(r, 40) ? null : Int(r), D = Chance(r, 40) ? null : Values.Double(r), S = Text(r),
        C = Chance(r, 40) ? null : (Color)Values.Short(r), When = Values.DateTimeOffset(r),
        MaybeWhen = Chance(r, 40) ? null : Values.DateTimeOffset(r),
    };
}

[MemoryPackable(GenerateType.CircularReference)]
public partial class Node
{
    [MemoryPackOrder(0)] public int Id { get; set; }
    [MemoryPackOrder(1)] public string? Name { get; set; }
    [MemoryPackOrder(2)] public Node? Next { get; set; }
    [MemoryPackOrder(3)] public List<Node?>? Children { get; set; }

    /// <summary>A graph with shared nodes and cycles.</summary>
    public static Node Make(Random r)
    {
        var nodes = new List<Node>();
        int count = 1 + r.Next(8);
        for (int i = 0; i < count; i++)
        {
            nodes.Add(new Node { Id = Int(r), Name = Text(r) });
        }
        foreach (Node node in nodes)
        {
            node.Next = Chance(r, 30) ? null : nodes[r.Next(nodes.Count)];
            if (!Chance(r, 40))
            {
                node.Children = new List<Node?>();
                int children = r.Next(4);
                for (int i = 0; i < children; i++)
                {
                    node.Children.Add(Chance(r, 15) ? null : nodes[r.Next(nodes.Count)]);
                }
            }
        }
        return nodes[0];
    }
}

[MemoryPackable]
public partial class ObjectV1
{
    public int A { get; set; }
    public string? B { get; set; }

    public static ObjectV1 Make(Random r) => new() { A = Int(r), B = Text(r) };
}

// Members appended: old payloads read with the new members default (C keeps its initializer's 42); new payloads are
// refused by the old type.
[MemoryPackable]
public partial class ObjectV2
{
    public int A { get; set; }
    public string? B { get; set; }
    [SuppressDefaultInitialization] public long C { get; set; } = 42;
    public List<string?>? D { get; set; }

    public static ObjectV2 Make(Random r) => new() { A = Int(r), B = Text(r), C = Long(r), D = Values.List(r, Text) };
}

[MemoryPackable(SerializeLayout.Explicit)]
public partial class ExplicitLayout
{
    [MemoryPackOrder(1)] public string? B { get; set; }
    [MemoryPackOrder(0)] public long A { get; set; }
    [MemoryPackOrder(2)] public Color C { get; set; }

    public static ExplicitLayout Make(Random r) => new() { A = Long(r), B = Text(r), C = (Color)Values.Short(r) };
}

[MemoryPackable]
public partial record struct Measurement(double Value, string? Unit, DateTime At);

[MemoryPackable]
public readonly partial struct Money
{
    [MemoryPackConstructor]
    public Money(decimal amount, string? currency)
    {
        Amount = amount;
        Currency = currency;
    }

    public decimal Amount { get; }
    public string? Currency { get; }
}

public partial class Outer
{
    [MemoryPackable]
    public partial class Inner
    {
        public int X;
        public string? Y;
        public double[]? Z;
    }
}

[MemoryPackable]
public partial class InitOnly
{
    public int A { get; init; }
    public string? B { get; init; }
}

[MemoryPackable]
public partial class Structs
{
    public Measurement Measurement { get; set; }
    public Money Money { get; set; }
    public Money? MaybeMoney { get; set; }
    public Outer.Inner? Inner { get; set; }
    public InitOnly? InitOnly { get; set; }
    public ExplicitLayout? Explicit { get; set; }
    public List<Measurement>? Measurements { get; set; }

    public static Structs Make(Random r) => new()
    {
        Measurement = new Measurement(Values.Double(r), Text(r), Values.DateTime(r)),
        Money = new Money(Values.Decimal(r), Text(r)),
        MaybeMoney = Chance(r, 40) ? null : new Money(Values.Decimal(r), Text(r)),
        Inner = Chance(r, 15) ? null : new Outer.Inner { X = Int(r), Y = Text(r), Z = Values.Array(r, Values.Double) },
        InitOnly = Chance(r, 15) ? null : new InitOnly { A = Int(r), B = Text(r) },
        Explicit = Chance(r, 15) ? null : ExplicitLayout.Make(r),
        Measurements = Values.List(r, x => new Measurement(Values.Double(x), Text(x), Values.DateTime(x))),
    };
}

[MemoryPackable]
public partial class Deep
{
    public List<List<string?>?>? Lists { get; set; }
    public Dictionary<string, Dictionary<int, string?>?>? Maps { get; set; }
    public HashSet<Guid>? Ids { get; set; }
    public List<Point>? Points { get; set; }
    public Dictionary<int, int>? Raw { get; set; }
    public Color[]? Colors { get; set; }
    public byte[]? Blob { get; set; }
    public List<Tagged>? Tagged { get; set; }
    public Queue<string?>? Names { get; set; }
    public (int, string?)[]? Pairs { get; set; }
    public KeyValuePair<string, int>[]? Entries { get; set; }
    public List<int?>? MaybeInts { get; set; }
    public Dictionary<Color, List<Point>?>? ByColor { get; set; }

    public static Deep Make(Random r) => new()
    {
        Lists = Values.List(r, x => Values.List(x, Text)),
        Maps = Values.Dictionary(r, NonNullText, x => Values.Dictionary(x, Int, Text)),
        Ids = Values.Array(r, Values.Guid) is { } ids ? new HashSet<Guid>(ids) : null,
        Points = Values.List(r, Point.Make),
        Raw = Values.Dictionary(r, Int, Int),
        Colors = Values.Array(r, x => (Color)Values.Short(x)),
        Blob = Values.Array(r, Values.Byte),
        Tagged = Values.List(r, Compat.MemoryPackTwins.Tagged.Make),
        Names = Values.Array(r, Text) is { } names ? new Queue<string?>(names) : null,
        Pairs = Values.Array(r, x => (Int(x), Text(x))),
        Entries = Values.Array(r, x => new KeyValuePair<string, int>(NonNullText(x), Int(x))),
        MaybeInts = Values.List(r, x => Chance(x, 30) ? (int?)null : Int(x)),
        ByColor = Values.Dictionary(r, x => (Color)Values.Short(x), x => Values.List(x, Point.Make)),
    };
}

[MemoryPackable]
public partial class Fields
{
    public int A;
    public string? B;
    public long[]? C;
    public Animal? D;

    public static Fields Make(Random r) => new()
    {
        A = Int(r), B = Text(r), C = Values.Array(r, Long),
        D = Chance(r, 30) ? null : new Dog { Name = Text(r), Barks = Int(r) },
    };
}

// Dictionary entries of raw keys and values are copied as raw KeyValuePairs, whose padding MemoryPack leaves stale;
// Rpc once copied the entry built on the stack, stale bytes and all (found by RandomShapes, seed 4), and now writes
// the padding as zeros.
[MemoryPackable]
public partial class PaddedEntries
{
    public Dictionary<long, uint>? Map { get; set; }
    public Dictionary<int, double>? Scores { get; set; }
    public Dictionary<Color, long>? ByColor { get; set; }
    public SortedDictionary<Guid, long>? ById { get; set; }

    public static PaddedEntries Make(Random r) => new()
    {
        Map = Values.Dictionary(r, Long, UInt),
        Scores = Values.Dictionary(r, Int, Values.Double),
        ByColor = Values.Dictionary(r, x => (Color)Values.Short(x), Long),
        ById = Values.Dictionary(r, Values.Guid, Long) is { } byId ? new SortedDictionary<Guid, long>(byId) : null,
    };
}

/// <summary>Every shape, and the version changes between them.</summary>
public static class Catalogue
{
    public static readonly IReadOnlyList<ShapeCase> Cases =
    [
        Of("Primitives", Primitives.Make),
        Of("Strings", Strings.Make),
        Of("StringsUtf16", Strings.Make, utf16: true),
        Of("Collections", Collections.Make),
        Of("Nullables", Nullables.Make, memoryPackLeavesStalePadding: true),
        Of("Tuples", Tuples.Make),
        Of("Unions", Unions.Make),
        Of("Inheritance", DerivedRecord.Make),
        Of("Generics", Generics.Make),
        Of("VersionedV1", VersionedV1.Make),
        Of("VersionedV2", VersionedV2.Make),
        Of("VersionedSequential", VersionedSequential.Make),
        Of("VersionedPadded", VersionedPadded.Make, memoryPackLeavesStalePadding: true),
        Of("Circular", Node.Make),
        Of("ObjectV1", ObjectV1.Make),
        Of("ObjectV2", ObjectV2.Make),
        Of("TaggedStruct", Tagged.Make),
        Of("Structs", Structs.Make),
        Of("Deep", Deep.Make),
        Of("Fields", Fields.Make),
        Of("PaddedEntries", PaddedEntries.Make, memoryPackLeavesStalePadding: true),
    ];

    public static readonly IReadOnlyList<EvolutionCase> Evolutions =
    [
        new("VersionedV1", "VersionedV2", Fails: false),
        new("VersionedV2", "VersionedV1", Fails: false),
        new("ObjectV1", "ObjectV2", Fails: false),
        new("ObjectV2", "ObjectV1", Fails: true),
    ];

    // The array overload and the buffer-writer overload must write the same bytes.
    private static byte[] WriteBothWays<T>(T? value, global::Rpc.Serialization.RpcSerializerOptions options)
    {
        byte[] bytes = global::Rpc.Serialization.RpcSerializer.Serialize<T>(value, options);
        CompatAssert.SameBytes(bytes, BufferWriterOverload.Write(value, options), $"Serialize to a buffer writer wrote other bytes than Serialize to an array for a {typeof(T)}");
        return bytes;
    }

    // WriteWithRpc/ReadWithRpc: this twin's types through Rpc's serializer (the generator honours MemoryPack's attributes).
    private static ShapeCase Of<T>(string name, Func<Random, T> make, bool utf16 = false, bool memoryPackLeavesStalePadding = false)
    {
        MemoryPackSerializerOptions options = utf16 ? MemoryPackSerializerOptions.Utf16 : MemoryPackSerializerOptions.Default;
        global::Rpc.Serialization.RpcSerializerOptions rpcOptions = utf16 ? global::Rpc.Serialization.RpcSerializerOptions.Utf16 : global::Rpc.Serialization.RpcSerializerOptions.Default;
        return new(
            name,
            r => make(r),
            value => MemoryPackSerializer.Serialize<T>((T?)value, options),
            bytes => MemoryPackSerializer.Deserialize<T>(bytes, options),
            memoryPackLeavesStalePadding,
            value => WriteBothWays((T?)value, rpcOptions),
            bytes => global::Rpc.Serialization.RpcSerializer.Deserialize<T>(bytes, rpcOptions));
    }
}
