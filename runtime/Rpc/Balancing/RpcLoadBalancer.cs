using System.Collections.Generic;

namespace Rpc;

/// <summary>
/// How a client of a service spreads calls over the instances whose connections are Ready. The built-in policies are
/// weighted; derive from this class for your own: <see cref="CreatePicker"/> is called whenever the set of Ready
/// instances changes (never per call), and the returned <see cref="RpcPicker"/> chooses per call.
/// </summary>
public abstract class RpcLoadBalancer
{
    /// <summary>
    /// Two random instances (drawn by weight), the one with fewer calls in flight per unit of weight wins. Adapts
    /// to slow instances without any shared state. The default.
    /// </summary>
    public static RpcLoadBalancer PowerOfTwoChoices { get; } = new Balancing.PowerOfTwoChoicesBalancer();

    /// <summary>Smooth weighted round robin (as nginx does it): an even interleaving that keeps its place when weights change.</summary>
    public static RpcLoadBalancer RoundRobin { get; } = new Balancing.RoundRobinBalancer();

    /// <summary>Weighted random.</summary>
    public static RpcLoadBalancer Random { get; } = new Balancing.RandomBalancer();

    /// <summary>
    /// A hash ring with virtual nodes (in proportion to weight), built when the instance set changes and never on a
    /// call: calls with the same <see cref="RpcCallOptions.HashKey"/> go to the same instance, and an instance joining
    /// N others takes about 1/(N+1) of the keys. Calls without a key go to a random instance. Connecting waits
    /// (within the connect timeout) until every listed instance is Ready or has failed, so that a key's first calls
    /// find the ring its later calls find.
    /// </summary>
    public static RpcLoadBalancer ConsistentHash { get; } = new Balancing.ConsistentHashBalancer();

    /// <summary>The first Ready instance in the registry's order; the next one only when it fails.</summary>
    public static RpcLoadBalancer PickFirst { get; } = new Balancing.PickFirstBalancer();

    /// <summary>
    /// Creates the picker for <paramref name="candidates"/> (at least one, in the registry's order);
    /// <paramref name="previous"/> is the picker it replaces (null for the first), for state worth keeping.
    /// </summary>
    protected internal abstract RpcPicker CreatePicker(IReadOnlyList<RpcPickCandidate> candidates, RpcPicker? previous);

    /// <summary>
    /// True when connecting waits, after the first Ready instance, for every listed instance to settle (Ready or
    /// failed) within the connect timeout: a policy whose choices depend on the whole set (a hash ring) would
    /// otherwise route a key to one instance and then move it as the others come up.
    /// </summary>
    internal virtual bool SettlesEveryInstanceOnConnect => false;
}

/// <summary>Chooses an instance for each call; made by an <see cref="RpcLoadBalancer"/> for one set of Ready instances.</summary>
public abstract class RpcPicker
{
    /// <summary>
    /// The index, in the candidates the picker was made for, of the instance for this call. Called concurrently,
    /// on every call: it must be thread-safe, should not allocate, and must not block.
    /// </summary>
    /// <param name="hashKey">The call's <see cref="RpcCallOptions.HashKey"/>, or null.</param>
    public abstract int Pick(string? hashKey);
}
