using System;

namespace Rpc;

/// <summary>
/// Marks an interface as an RPC service. The generator emits a client proxy that implements it, a server
/// dispatcher that routes calls to an implementation, and serializers for every type its methods use.
/// </summary>
[AttributeUsage(AttributeTargets.Interface, AllowMultiple = false, Inherited = false)]
public sealed class RpcServiceAttribute : Attribute
{
    /// <summary>Creates the attribute; the service name is the interface's full name.</summary>
    public RpcServiceAttribute()
    {
    }

    /// <summary>Creates the attribute with an explicit service name (what method ids and logs use).</summary>
    public RpcServiceAttribute(string name) => Name = name;

    /// <summary>The service name on the wire, or null for the interface's namespace-qualified name.</summary>
    public string? Name { get; }
}

/// <summary>
/// Pins a method's id. Ids are otherwise derived from the service name, method name and parameter types, so they
/// stay stable when methods are added, removed or reordered; pin one to keep it across a rename.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class RpcMethodAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    public RpcMethodAttribute(uint id) => Id = id;

    /// <summary>The method id on the wire.</summary>
    public uint Id { get; }
}

/// <summary>
/// Marks a method returning <c>Task</c> or <c>ValueTask</c> as one-way: the call completes when its frame is
/// written, and the server sends no response.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class RpcOneWayAttribute : Attribute
{
}

/// <summary>
/// Marks a service method as idempotent: calling it twice with the same arguments has the same effect as calling it
/// once (a read, or a write keyed by the caller). Only such methods are retried by <see cref="RpcClientOptions.RetryPolicy"/>
/// after a failure that may have happened once the server had the request; other methods are sent again only when
/// the server provably never saw them. Seen at run time as <see cref="RpcMethodDescriptor.IsIdempotent"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class RpcIdempotentAttribute : Attribute
{
}

/// <summary>
/// Marks the parameter whose value routes the call under <see cref="RpcLoadBalancer.ConsistentHash"/>: calls with
/// equal values go to the same instance (a user id, an order id). The value's invariant-culture text is hashed;
/// <see cref="RpcCallOptions.HashKey"/>, when set for a scope, wins.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class RpcHashKeyAttribute : Attribute
{
}
