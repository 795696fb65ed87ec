using System;
using System.Diagnostics;
using System.Net;
using System.Threading;
using Microsoft.Extensions.Logging;
using Rpc.Diagnostics;

namespace Rpc.Hosting.Logging;

/// <summary>
/// The core's <see cref="RpcLogger"/> written to <c>ILogger</c>: connection events to <c>Rpc.Connection</c>,
/// server events to <c>Rpc.Server</c>, client events to <c>Rpc.Client</c>, each through a <c>LoggerMessage</c>
/// method with a stable event id. Handler and one-way failures, which can come with every call, are written at
/// Warning at most once a second and at Debug in between, so a failing handler does not flood the log.
/// </summary>
public sealed class RpcLoggerBridge : RpcLogger
{
    /// <summary>How often a repeating per-call failure may be written at Warning.</summary>
    private static readonly long s_warningSpacing = Stopwatch.Frequency;

    private readonly ILogger _server;
    private readonly ILogger _connection;
    private readonly ILogger _client;
    private long _lastWarning = long.MinValue / 2;

    /// <summary>Creates the bridge over <paramref name="loggerFactory"/>'s three Rpc categories.</summary>
    public RpcLoggerBridge(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _server = loggerFactory.CreateLogger(RpcLogCategories.Server);
        _connection = loggerFactory.CreateLogger(RpcLogCategories.Connection);
        _client = loggerFactory.CreateLogger(RpcLogCategories.Client);
    }

    /// <summary>The <c>Rpc.Server</c> logger, for the hosted server's own messages.</summary>
    internal ILogger Server => _server;

    /// <summary>The <c>Rpc.Client</c> logger, for the typed clients' own messages.</summary>
    internal ILogger Client => _client;

    /// <inheritdoc />
    public override void ConnectionOpened(RpcConnectionSide side, EndPoint? remote) =>
        RpcConnectionLog.ConnectionOpened(_connection, side.ToString(), Text(remote));

    /// <inheritdoc />
    public override void ConnectionClosed(RpcConnectionSide side, EndPoint? remote, RpcException? reason) =>
        RpcConnectionLog.ConnectionClosed(_connection, side.ToString(), Text(remote), reason?.StatusCode ?? RpcStatusCode.OK, reason?.Message ?? "closed");

    /// <inheritdoc />
    public override void GoAwaySent(RpcConnectionSide side, EndPoint? remote, RpcStatusCode status, string message) =>
        RpcConnectionLog.GoAwaySent(_connection, side.ToString(), Text(remote), status, message);

    /// <inheritdoc />
    public override void GoAwayReceived(RpcConnectionSide side, EndPoint? remote, string message) =>
        RpcConnectionLog.GoAwayReceived(_connection, side.ToString(), Text(remote), message);

    /// <inheritdoc />
    public override void KeepAliveTimeout(RpcConnectionSide side, EndPoint? remote) =>
        RpcConnectionLog.KeepAliveTimeout(_connection, side.ToString(), Text(remote));

    /// <inheritdoc />
    public override void ConnectionLimitReached(EndPoint? remote, string limit) =>
        RpcConnectionLog.ConnectionLimitReached(_connection, Text(remote), limit);

    /// <inheritdoc />
    public override void HandlerFailed(RpcMethodDescriptor method, Exception exception) =>
        RpcServerLog.HandlerFailed(_server, RepeatingLevel(), method.FullName, exception);

    /// <inheritdoc />
    public override void OneWayFailed(RpcMethodDescriptor method, Exception exception) =>
        RpcServerLog.OneWayFailed(_server, RepeatingLevel(), method.FullName, exception);

    /// <inheritdoc />
    public override void AcceptFailed(EndPoint listener, Exception exception) =>
        RpcServerLog.AcceptFailed(_server, Text(listener), exception);

    /// <inheritdoc />
    public override void RegistrationFailed(string? serviceName, Exception exception) =>
        RpcServerLog.RegistrationFailed(_server, serviceName ?? "(a service)", exception);

    /// <inheritdoc />
    public override void Reconnecting(EndPoint remote, int attempt) =>
        RpcClientLog.Reconnecting(_client, Text(remote), attempt);

    /// <inheritdoc />
    /// <remarks>
    /// The first attempts fail whenever a server restarts or drains, so they are Information, without the stack;
    /// from the third attempt on the peer looks gone, and it is a Warning with the exception.
    /// </remarks>
    public override void ReconnectFailed(EndPoint remote, int attempt, Exception exception)
    {
        bool persistent = attempt >= PersistentReconnectFailure;
        RpcClientLog.ReconnectFailed(_client, persistent ? LogLevel.Warning : LogLevel.Information, Text(remote), attempt, exception.Message, persistent ? exception : null);
    }

    // The attempt from which a failing reconnect is a Warning.
    private const int PersistentReconnectFailure = 3;

    /// <inheritdoc />
    public override void DiscoveryFailed(string serviceName, Exception exception) =>
        RpcClientLog.DiscoveryFailed(_client, serviceName, exception);

    // Warning once a second, Debug in between: the first failure of a burst is always visible.
    private LogLevel RepeatingLevel()
    {
        long now = Stopwatch.GetTimestamp();
        long last = Volatile.Read(ref _lastWarning);
        return now - last >= s_warningSpacing && Interlocked.CompareExchange(ref _lastWarning, now, last) == last
            ? LogLevel.Warning
            : LogLevel.Debug;
    }

    private static string Text(EndPoint? endPoint) => endPoint is null ? "(unknown)" : RpcEndPointText.Format(endPoint);
}
