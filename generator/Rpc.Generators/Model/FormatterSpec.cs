namespace Rpc.Generators.Model;

/// <summary>
/// A formatter class to emit for a user type (an object layout or a union). <c>HidesBaseFormatter</c>: the nested
/// formatter hides the one nested in a base class, so it is declared <c>new</c>.
/// </summary>
internal sealed record FormatterSpec(
    string Key,
    string Namespace,
    string TypeFullName,
    string FormatterClassName,
    bool IsNested,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string TypeParameterList,
    bool IsValueType,
    FormatterKind Kind,
    EquatableArray<MemberSpec> Members,
    int SlotCount,
    bool UsesConstructor,
    EquatableArray<string> ConstructorArguments,
    EquatableArray<UnionCaseSpec> UnionCases,
    bool HidesBaseFormatter = false)
{
    /// <summary>The expression that names the formatter type for a closed instantiation given its type arguments.</summary>
    public string FormatterTypeName(string typeArgumentList) =>
        IsNested
            ? $"{TypeFullNameWithoutArguments}{typeArgumentList}.{FormatterClassName}"
            : $"{(Namespace.Length == 0 ? "global::" : "global::" + Namespace + ".")}{FormatterClassName}{typeArgumentList}";

    public string TypeFullNameWithoutArguments
    {
        get
        {
            int index = TypeFullName.IndexOf('<');
            return index < 0 ? TypeFullName : TypeFullName.Substring(0, index);
        }
    }
}

/// <summary>A type that encloses a nested formatter: <c>partial class Outer</c>.</summary>
internal sealed record ContainingTypeSpec(string Keyword, string NameWithTypeParameters);

/// <summary>The layout of a generated formatter.</summary>
internal enum FormatterKind
{
    Object,
    VersionTolerant,
    CircularReference,
    Union,
}

/// <summary>How a deserialized member value reaches the new instance.</summary>
internal enum MemberAssignment
{
    /// <summary>Set in the object initializer.</summary>
    Initializer,
    /// <summary>Passed to the constructor.</summary>
    Constructor,
    /// <summary>Assigned after construction, only when the payload carried it (<c>[SuppressDefaultInitialization]</c>).</summary>
    AfterConstruction,
    /// <summary>Read and discarded: the member cannot be set.</summary>
    None,
}

/// <summary>One serialized member. <c>MayHavePadding</c>: a raw struct whose padding bytes are zeroed on writing.</summary>
internal sealed record MemberSpec(
    string Name,
    string TypeName,
    int Slot,
    StringEncodingSpec Encoding,
    MemberAssignment Assignment,
    bool IsUnmanaged,
    bool MayHavePadding = false);

/// <summary>One case of a union.</summary>
internal sealed record UnionCaseSpec(ushort Tag, string TypeName, int InheritanceDepth);

/// <summary>A closed type whose formatter must be registered at start-up, and how to create it.</summary>
internal sealed record RegistrationSpec(string TypeName, string FormatterCreation);

/// <summary>Everything one source of types (a service, a message, a serializer call) contributes to serialization.</summary>
internal sealed record SerializationSpec(
    EquatableArray<FormatterSpec> Formatters,
    EquatableArray<RegistrationSpec> Registrations)
{
    public static readonly SerializationSpec Empty = new(EquatableArray<FormatterSpec>.Empty, EquatableArray<RegistrationSpec>.Empty);
}
