using System;

namespace Rpc.Serialization;

/// <summary>The member's position (MemoryPack's <c>[MemoryPackOrder]</c>); required on every member of version-tolerant types.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class RpcOrderAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    public RpcOrderAttribute(int order) => Order = order;

    /// <summary>The position, from 0.</summary>
    public int Order { get; }
}

/// <summary>Leaves a public member out of serialization (MemoryPack's <c>[MemoryPackIgnore]</c>).</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class RpcIgnoreAttribute : Attribute
{
}

/// <summary>Includes a non-public member (MemoryPack's <c>[MemoryPackInclude]</c>); the type must be <c>partial</c>.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class RpcIncludeAttribute : Attribute
{
}

/// <summary>The constructor deserialization calls (MemoryPack's <c>[MemoryPackConstructor]</c>).</summary>
[AttributeUsage(AttributeTargets.Constructor, AllowMultiple = false, Inherited = false)]
public sealed class RpcConstructorAttribute : Attribute
{
}

/// <summary>
/// A concrete type of a union (MemoryPack's <c>[MemoryPackUnion]</c>), placed on the abstract class or interface.
/// Tags below 250 take one byte on the wire; larger ones three.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface, AllowMultiple = true, Inherited = false)]
public sealed class RpcUnionAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    public RpcUnionAttribute(ushort tag, Type type)
    {
        Tag = tag;
        Type = type;
    }

    /// <summary>The tag written before the concrete value.</summary>
    public ushort Tag { get; }

    /// <summary>The concrete type.</summary>
    public Type Type { get; }
}

/// <summary>Writes this string member as UTF-8 whatever the options say (MemoryPack's <c>[Utf8StringFormatter]</c>).</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.ReturnValue, AllowMultiple = false)]
public sealed class Utf8StringAttribute : Attribute
{
}

/// <summary>Writes this string member as UTF-16 whatever the options say (MemoryPack's <c>[Utf16StringFormatter]</c>).</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.ReturnValue, AllowMultiple = false)]
public sealed class Utf16StringAttribute : Attribute
{
}

/// <summary>
/// A member missing from an older payload keeps the value its initializer or constructor gave it instead of being
/// reset to default (MemoryPack's <c>[SuppressDefaultInitialization]</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class SuppressDefaultInitializationAttribute : Attribute
{
}
