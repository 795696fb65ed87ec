using System;

namespace Rpc.Serialization;

/// <summary>How the generator lays out a type (MemoryPack's <c>GenerateType</c>).</summary>
public enum GenerateType
{
    /// <summary>Member count header, then the members in order. Members may be appended in later versions.</summary>
    Object = 0,

    /// <summary>Member count, one varint byte length per member, then the members: members can be added or deleted.</summary>
    VersionTolerant = 1,

    /// <summary>Like <see cref="VersionTolerant"/>, plus reference ids so shared and cyclic references survive.</summary>
    CircularReference = 2,

    /// <summary>A user collection type: reserved (MemoryPack's name); Rpc reports such a type as not serializable.</summary>
    Collection = 3,

    /// <summary>Generate nothing for this type.</summary>
    NoGenerate = 4,
}

/// <summary>How members are ordered (MemoryPack's <c>SerializeLayout</c>).</summary>
public enum SerializeLayout
{
    /// <summary>Declaration order, base class members first.</summary>
    Sequential = 0,

    /// <summary>The order given by <see cref="RpcOrderAttribute"/> on every member.</summary>
    Explicit = 1,
}

/// <summary>
/// Opts a type into serialization (MemoryPack's <c>[MemoryPackable]</c>). Types used by an <c>[RpcService]</c>
/// interface are serializable without it when their members are accessible; on a <c>partial</c> type the generated
/// formatter also reaches private members marked <see cref="RpcIncludeAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface, AllowMultiple = false, Inherited = false)]
public sealed class RpcMessageAttribute : Attribute
{
    /// <summary>
    /// Creates the attribute with a layout kind; the member order is <see cref="SerializeLayout.Explicit"/> for
    /// <see cref="GenerateType.VersionTolerant"/> and <see cref="GenerateType.CircularReference"/>, else
    /// <see cref="SerializeLayout.Sequential"/> (as MemoryPack's <c>[MemoryPackable(generateType)]</c>).
    /// </summary>
    public RpcMessageAttribute(GenerateType generateType = GenerateType.Object)
    {
        GenerateType = generateType;
        SerializeLayout = generateType is GenerateType.VersionTolerant or GenerateType.CircularReference
            ? SerializeLayout.Explicit
            : SerializeLayout.Sequential;
    }

    /// <summary>Creates the attribute with a member order, for <see cref="GenerateType.Object"/>.</summary>
    public RpcMessageAttribute(SerializeLayout serializeLayout)
    {
        GenerateType = GenerateType.Object;
        SerializeLayout = serializeLayout;
    }

    /// <summary>
    /// Creates the attribute with a layout kind and a member order: <c>(GenerateType.VersionTolerant,
    /// SerializeLayout.Sequential)</c> numbers the slots in declaration order, with no <see cref="RpcOrderAttribute"/>.
    /// </summary>
    public RpcMessageAttribute(GenerateType generateType, SerializeLayout serializeLayout)
    {
        GenerateType = generateType;
        SerializeLayout = serializeLayout;
    }

    /// <summary>The layout kind.</summary>
    public GenerateType GenerateType { get; }

    /// <summary>The member order.</summary>
    public SerializeLayout SerializeLayout { get; }
}
