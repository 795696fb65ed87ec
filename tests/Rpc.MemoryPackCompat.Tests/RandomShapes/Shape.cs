namespace Compat.RandomShapes;

/// <summary>What a random shape is declared as.</summary>
public enum ShapeKind
{
    Class,
    /// <summary>A class derived from an earlier class shape.</summary>
    Derived,
    Record,
    Struct,
    RecordStruct,
    /// <summary>A generic class with one type parameter, used instantiated with a random member type.</summary>
    Generic,
    /// <summary>An interface or abstract class with <c>[MemoryPackUnion]</c> cases.</summary>
    Union,
    VersionTolerant,
    CircularReference,
    /// <summary>No declaration: a member type (a collection, tuple, nullable, ...) written as the whole payload.</summary>
    Root,
}

/// <param name="Order">The <c>[MemoryPackOrder]</c> id (written for version-tolerant and circular-reference shapes).</param>
/// <param name="StringFormat"><c>Utf16StringFormatter</c> or <c>Utf8StringFormatter</c> on a string member, else null.</param>
public sealed record Member(string Name, MemberType Type, int Order, string? StringFormat = null);

/// <param name="VersionTolerant">The case is a version-tolerant class (only in a union on an interface).</param>
public sealed record UnionCase(string Name, ushort Tag, IReadOnlyList<Member> Members, bool VersionTolerant = false);

public sealed record EnumDeclaration(string Name, string Underlying, IReadOnlyList<string> Values);

public sealed record UnmanagedStruct(string Name, IReadOnlyList<Member> Fields);

/// <summary>
/// One random type shape. <see cref="Members"/> are the shape's own (a union's abstract base class's, none for an
/// interface); <see cref="Cases"/> a union's implementations; <see cref="TypeArgument"/> a generic shape's
/// instantiation; <see cref="EvolvesFrom"/> the index of the shape this is a newer version of.
/// </summary>
public sealed record Shape(int Index, ShapeKind Kind, IReadOnlyList<Member> Members)
{
    public IReadOnlyList<UnionCase> Cases { get; init; } = [];

    public bool UnionOnInterface { get; init; }

    public MemberType? TypeArgument { get; init; }

    /// <summary>A generic shape declared as a struct.</summary>
    public bool GenericStruct { get; init; }

    public int? EvolvesFrom { get; init; }

    /// <summary>Members as fields rather than properties.</summary>
    public bool AsFields { get; init; }

    /// <summary>Properties with <c>init</c> rather than <c>set</c>.</summary>
    public bool InitOnly { get; init; }

    /// <summary>An extra <c>[MemoryPackIgnore]</c> property (never written).</summary>
    public bool WithIgnored { get; init; }

    /// <summary><c>SerializeLayout.Sequential</c> (a version-tolerant shape without order ids) or <c>Explicit</c>.</summary>
    public string? Layout { get; init; }

    /// <summary>Members set by a <c>[MemoryPackConstructor]</c> (get-only properties); the others are settable.</summary>
    public IReadOnlyList<string> ConstructorMembers { get; init; } = [];

    /// <summary>The class shape this one derives from.</summary>
    public Shape? Base { get; init; }

    public string Name => Kind == ShapeKind.Union && UnionOnInterface ? $"IS{Index}" : $"S{Index}";

    /// <summary>The type the harness writes and reads.</summary>
    public string TypeName => Kind switch
    {
        ShapeKind.Generic => $"{Name}<{TypeArgument!.Name}>",
        ShapeKind.Root => TypeArgument!.NonNullName,
        _ => Name,
    };

    public bool IsValueType => Kind is ShapeKind.Struct or ShapeKind.RecordStruct || GenericStruct || Kind == ShapeKind.Root && TypeArgument!.IsValueType;

    public IEnumerable<Member> AllMembers => (Base?.Members ?? []).Concat(Members).Concat(Cases.SelectMany(c => c.Members));

    /// <summary>MemoryPack may write stale padding somewhere in a value (compare its bytes after Rpc rewrote them).</summary>
    public bool Stale => AllMembers.Any(m => m.Type.Stale) || TypeArgument?.Stale == true;
}

/// <summary>A seed's shapes with the enums and raw structs they use, and the (old, new) version pairs among them.</summary>
public sealed record ShapeSet(
    int Seed,
    IReadOnlyList<EnumDeclaration> Enums,
    IReadOnlyList<UnmanagedStruct> Structs,
    IReadOnlyList<Shape> Shapes);
