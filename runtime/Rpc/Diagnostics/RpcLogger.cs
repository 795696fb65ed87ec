using System;
using System.Net;

namespace Rpc.Diagnostics;

/// <summary>
/// Where a server or client reports what happens to its connections and calls outside any caller's view: set
/// <see cref="RpcServerOptions.Logger"/> or <see cref="RpcClientOptions.Logger"/> to an instance. The core package
/// has no logging dependency: every method does nothing by default, and with no logger (the default) nothing is
/// written anywhere. Override the events you want; Rpc.Hosting bridges every one to <c>ILogger</c> (categories
/// <c>Rpc.Server</c>, <c>Rpc.Connection</c>, <c>Rpc.Client</c>; event ids in docs/observability.md).
/// </summary>
/// <remarks>
/// Methods are called on the runtime's own threads (read loops, the watchdog, reconnect loops) and must return
/// quickly and not throw: what they throw is caught and dropped. Events that can repeat per call
/// (<see cref="HandlerFailed"/>, <see cref="OneWayFailed"/>) are reported every time; rate-limit them in the sink.
/// </remarks>
public abstract class RpcLogger
{
    // ---- connections (both sides) ----

    /// <summary>A connection finished its handshake and is open.</summary>
    public virtual void ConnectionOpened(RpcConnectionSide side, EndPoint? remote)
    {
    }

    /// <summary>A connection closed; <paramref name="reason"/> says why (null when it closed without one).</summary>
    public virtual void ConnectionClosed(RpcConnectionSide side, EndPoint? remote, RpcException? reason)
    {
    }

    /// <summary>This side sent a GoAway: a drain (no new calls) or a close for a protocol error or a limit.</summary>
    public virtual void GoAwaySent(RpcConnectionSide side, EndPoint? remote, RpcStatusCode status, string message)
    {
    }

    /// <summary>The peer sent a GoAway; new calls go to another connection.</summary>
    public virtual void GoAwayReceived(RpcConnectionSide side, EndPoint? remote, string message)
    {
    }

    /// <summary>The peer sent nothing within the keepalive timeout after a ping: the connection is closed as dead.</summary>
    public virtual void KeepAliveTimeout(RpcConnectionSide side, EndPoint? remote)
    {
    }

    /// <summary>
    /// The server closes a connection for one of its limits: a ping flood, <see cref="RpcServerOptions.MaxConnectionIdle"/>
    /// or <see cref="RpcServerOptions.MaxConnectionAge"/>; <paramref name="limit"/> says which.
    /// </summary>
    public virtual void ConnectionLimitReached(EndPoint? remote, string limit)
    {
    }

    // ---- server ----

    /// <summary>
    /// A handler (or an interceptor) threw an exception that is not an <see cref="RpcException"/> nor a
    /// cancellation: the client got <see cref="RpcStatusCode.Unknown"/>. Reported for every such call.
    /// </summary>
    public virtual void HandlerFailed(RpcMethodDescriptor method, Exception exception)
    {
    }

    /// <summary>A one-way call failed or was refused; its client is never told (the method and the exception).</summary>
    public virtual void OneWayFailed(RpcMethodDescriptor method, Exception exception)
    {
    }

    /// <summary>A listener stopped accepting connections because it broke (not because the server stopped).</summary>
    public virtual void AcceptFailed(EndPoint listener, Exception exception)
    {
    }

    /// <summary>A registry registration could not be made or removed; <paramref name="serviceName"/> names the service, when known.</summary>
    public virtual void RegistrationFailed(string? serviceName, Exception exception)
    {
    }

    // ---- client ----

    /// <summary>The client tries to connect again; <paramref name="attempt"/> counts from 1 since the last Ready connection.</summary>
    public virtual void Reconnecting(EndPoint remote, int attempt)
    {
    }

    /// <summary>A connection attempt failed; the next one waits for its backoff delay.</summary>
    public virtual void ReconnectFailed(EndPoint remote, int attempt, Exception exception)
    {
    }

    /// <summary>A balanced client's registry watch failed; it keeps the instances it knows and watches again shortly.</summary>
    public virtual void DiscoveryFailed(string serviceName, Exception exception)
    {
    }
}
