using System;
using System.Threading;

namespace Rpc;

/// <summary>
/// Per-call options for the client, applied without changing the service interface: push them for a scope with
/// <see cref="Push"/>, and every call started in that scope (on the same async flow) carries them.
/// </summary>
/// <example>
/// <code>
/// var options = new RpcCallOptions { Timeout = TimeSpan.FromSeconds(2), Headers = new RpcMetadata { { "tenant", "blue" } } };
/// using (RpcCallOptions.Push(options))
/// {
///     await greeter.SayHelloAsync(request);
/// }
/// string? version = options.ResponseHeaders?.GetString("server-version");
/// </code>
/// </example>
public sealed class RpcCallOptions
{
    private static readonly AsyncLocal<RpcCallOptions?> s_current = new();

    // Until some code pushes options, no flow can have any: every call would otherwise look the async local up (a
    // thread-static read and a search of the execution context) only to find nothing.
    private static volatile bool s_everPushed;

    /// <summary>
    /// How long each call may take, from the moment it starts; the server's token fires and the client fails the
    /// call with <see cref="RpcStatusCode.DeadlineExceeded"/> when it passes. <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>
    /// means no deadline, even when <see cref="RpcClientOptions.DefaultTimeout"/> is set. With <see cref="Deadline"/>
    /// too, the earlier of the two applies.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The moment by which each call must finish (see <see cref="Timeout"/>).</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>
    /// When true, a call started while the client has no Ready connection (it is reconnecting after a failure)
    /// waits until one is Ready, its deadline passes or its token fires, instead of failing at once with
    /// <see cref="RpcStatusCode.Unavailable"/>. Default false: fail fast.
    /// </summary>
    public bool WaitForReady { get; init; }

    /// <summary>
    /// The key <see cref="RpcLoadBalancer.ConsistentHash"/> routes each call on: calls with the same key go to the
    /// same instance while the instance set does not change. Null: a random instance.
    /// </summary>
    public string? HashKey { get; init; }

    /// <summary>Request headers sent with each call.</summary>
    public RpcMetadata? Headers { get; init; }

    /// <summary>The response headers of the last call that completed in this scope (null when it had none).</summary>
    public RpcMetadata? ResponseHeaders { get; internal set; }

    /// <summary>The response trailers of the last call that completed in this scope (null when it had none).</summary>
    public RpcMetadata? ResponseTrailers { get; internal set; }

    /// <summary>The options pushed on the current async flow, or null.</summary>
    public static RpcCallOptions? Current => s_everPushed ? s_current.Value : null;

    /// <summary>
    /// Makes <paramref name="options"/> the current options until the returned scope is disposed, which restores
    /// the previous ones. Scopes do not merge: an inner scope replaces an outer one. Call it in the method that
    /// makes the calls: like any <see cref="AsyncLocal{T}"/>, a value set inside an awaited helper does not flow
    /// back to its caller.
    /// </summary>
    public static IDisposable Push(RpcCallOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        s_everPushed = true;
        var scope = new Scope(s_current.Value);
        s_current.Value = options;
        return scope;
    }

    private sealed class Scope : IDisposable
    {
        private readonly RpcCallOptions? _previous;
        private bool _disposed;

        public Scope(RpcCallOptions? previous) => _previous = previous;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                s_current.Value = _previous;
            }
        }
    }
}
