using System;
using System.Diagnostics;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Client;
using Rpc.Serialization;

namespace Rpc.Hosting;

/// <summary>
/// The one connection that every typed client of an address calls through. Proxies are built over this invoker,
/// not over an <see cref="RpcClient"/>, so that resolving a typed client never waits for a connection and a server
/// that cannot be reached never fails the host: the host connects at start (see <see cref="RpcClientConnector"/>),
/// and a lost or failed connection is made again in the background.
/// </summary>
/// <remarks>
/// A call made while connected goes straight to the <see cref="RpcClient"/>. A call made after the connection
/// dropped fails with <see cref="RpcStatusCode.Unavailable"/> (as the dropped client fails it) and starts a new
/// connection for the next calls. A call made while there has never been a connection throws
/// <see cref="RpcException"/>(<see cref="RpcStatusCode.Unavailable"/>) at once, without waiting: the invoker's
/// <see cref="StartCall"/> is synchronous and must not block on the network. The one exception is a call made before
/// the host started (nothing attempted yet): it connects first, blocking for up to
/// <see cref="RpcClientOptions.ConnectTimeout"/>, so that typed clients also work in a container no host runs.
/// </remarks>
internal sealed class RpcSharedConnection : IRpcCallInvoker, IAsyncDisposable
{
    /// <summary>How long after a failed attempt the next one may start, so that calls to a server that is down do not each dial it.</summary>
    private static readonly TimeSpan s_retryDelay = TimeSpan.FromSeconds(1);

    private readonly EndPoint _endPoint;
    private readonly RpcClientOptions _options;
    private readonly object _lock = new();
    private volatile RpcClient? _client;
    private Task? _connecting;
    private Exception? _lastFailure;
    private long _lastFailureTimestamp;
    private bool _disposed;

    public RpcSharedConnection(string address, EndPoint endPoint, RpcClientOptions options)
    {
        Address = address;
        _endPoint = endPoint;
        _options = options;
    }

    /// <summary>The address as configured, for messages.</summary>
    public string Address { get; }

    public RpcSerializerOptions SerializerOptions => _options.SerializerOptions;

    /// <summary>True while a live connection exists.</summary>
    public bool IsConnected => _client is { IsClosed: false };

    public RpcOutgoingCall StartCall(RpcMethodDescriptor method, CancellationToken cancellationToken)
    {
        RpcClient? client = _client;
        if (client is null || client.IsClosed)
        {
            client = ClientForNextCall();
        }
        return client.StartCall(method, cancellationToken);
    }

    /// <summary>
    /// Connects now unless connected; a failure to reach the server is kept for later calls' messages, not thrown.
    /// Throws only for options the client refuses (<see cref="ArgumentException"/>) and for cancellation.
    /// </summary>
    public Task ConnectAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_disposed || _client is { IsClosed: false })
            {
                return Task.CompletedTask;
            }
            _connecting ??= StartConnecting(cancellationToken);
            return _connecting;
        }
    }

    /// <summary>The client for a call made with no live connection (see the remarks).</summary>
    private RpcClient ClientForNextCall()
    {
        Task? connecting;
        bool firstAttempt;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_client is { IsClosed: false } live)
            {
                return live;
            }
            firstAttempt = _client is null && _lastFailure is null && _connecting is null;
            if (_connecting is null && (firstAttempt || Stopwatch.GetElapsedTime(_lastFailureTimestamp) >= s_retryDelay))
            {
                _connecting = StartConnecting(CancellationToken.None);
            }
            connecting = _connecting;
        }
        if (firstAttempt && connecting is not null)
        {
            // Before the host started: nothing has tried yet, so this call waits for the first connection.
            connecting.GetAwaiter().GetResult();
        }
        lock (_lock)
        {
            if (_client is { } client)
            {
                // Live, or closed and failing this call with Unavailable as it goes while the next connection is made.
                return client;
            }
            string why = _lastFailure?.Message ?? "the connection is being made";
            throw new RpcException(RpcStatusCode.Unavailable, $"Not connected to {Address}: {why}", _lastFailure);
        }
    }

    // On the thread pool, never inline: the caller holds the lock, and a first call may block on the task (with no
    // synchronization context to deadlock on).
    private Task StartConnecting(CancellationToken cancellationToken) => Task.Run(() => ConnectOnceAsync(cancellationToken), CancellationToken.None);

    private async Task ConnectOnceAsync(CancellationToken cancellationToken)
    {
        RpcClient? connected = null;
        Exception? failure = null;
        try
        {
            EndPoint endPoint = await RpcEndPointText.ResolveAsync(_endPoint, cancellationToken).ConfigureAwait(false);
            connected = await RpcClient.ConnectAsync(endPoint, _options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not ArgumentException && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            failure = ex;
        }
        finally
        {
            RpcClient? replaced = null;
            bool disposed;
            lock (_lock)
            {
                _connecting = null;
                disposed = _disposed;
                if (connected is not null && !disposed)
                {
                    replaced = _client;
                    _client = connected;
                    _lastFailure = null;
                }
                else if (failure is not null)
                {
                    _lastFailure = failure;
                    _lastFailureTimestamp = Stopwatch.GetTimestamp();
                }
            }
            if (replaced is not null)
            {
                _ = replaced.DisposeAsync().AsTask();
            }
            if (disposed && connected is not null)
            {
                _ = connected.DisposeAsync().AsTask();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        RpcClient? client;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            client = _client;
        }
        if (client is not null)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }
    }
}
