using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Client;
using Rpc.Serialization;

namespace Rpc.Hosting;

/// <summary>
/// The one <see cref="RpcClient"/> that every typed client of a target (an address, or a service found through a
/// registry) calls through. Proxies are built over this invoker rather than over the client itself, because an
/// <see cref="RpcClient"/> exists only once its first connection succeeded: resolving a typed client must never wait
/// for the network, and a server that cannot be reached must never fail the host. The host connects at start (see
/// <see cref="RpcClientConnector"/>); once connected, the <see cref="RpcClient"/> keeps its connections alive by
/// itself (reconnects, queueing while Connecting, failing fast in TransientFailure), and this wrapper only forwards.
/// </summary>
/// <remarks>
/// Until the first connection succeeds, a call throws <see cref="RpcException"/>(<see cref="RpcStatusCode.Unavailable"/>)
/// at once (the invoker's <see cref="StartCall"/> is synchronous and must not block on the network), and starts a
/// new attempt at most once per second. The one exception is a call made before the host started (nothing
/// attempted yet): it connects first, blocking for up to <see cref="RpcClientOptions.ConnectTimeout"/>, so that
/// typed clients also work in a container no host runs.
/// </remarks>
internal sealed class RpcSharedConnection : IRpcCallInvoker, IAsyncDisposable
{
    /// <summary>How long after a failed first attempt the next one may start, so that calls to a server that is down do not each dial it.</summary>
    private static readonly TimeSpan s_retryDelay = TimeSpan.FromSeconds(1);

    private readonly Func<CancellationToken, Task<RpcClient>> _connect;
    private readonly RpcClientOptions _options;
    private readonly object _lock = new();
    private volatile RpcClient? _client;
    private Task? _connecting;
    private Exception? _lastFailure;
    private long _lastFailureTimestamp;
    private bool _disposed;

    /// <param name="target">The address or service, for messages.</param>
    /// <param name="connect">Makes the client: <see cref="RpcClient.ConnectAsync(System.Net.EndPoint, RpcClientOptions?, CancellationToken)"/> or its balanced form.</param>
    /// <param name="options">The client's options.</param>
    public RpcSharedConnection(string target, Func<CancellationToken, Task<RpcClient>> connect, RpcClientOptions options)
    {
        Target = target;
        _connect = connect;
        _options = options;
    }

    /// <summary>The address or service name as configured, for messages.</summary>
    public string Target { get; }

    public RpcSerializerOptions SerializerOptions => _options.SerializerOptions;

    /// <summary>True while the client has a Ready connection.</summary>
    public bool IsConnected => _client?.State == RpcConnectionState.Ready;

    /// <summary>The client once its first connection succeeded; null before.</summary>
    public RpcClient? Client => _client;

    public RpcOutgoingCall StartCall(RpcMethodDescriptor method, CancellationToken cancellationToken) =>
        (_client ?? ClientForNextCall()).StartCall(method, cancellationToken);

    /// <summary>
    /// Makes the client unless it exists; a failure to reach the server is kept for later calls' messages, not
    /// thrown. Throws only for options the client refuses (<see cref="ArgumentException"/>) and for cancellation.
    /// </summary>
    public Task ConnectAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_disposed || _client is not null)
            {
                return Task.CompletedTask;
            }
            _connecting ??= StartConnecting(cancellationToken);
            return _connecting;
        }
    }

    /// <summary>The client for a call made before the first connection succeeded (see the remarks).</summary>
    private RpcClient ClientForNextCall()
    {
        Task? connecting;
        bool firstAttempt;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_client is { } made)
            {
                return made;
            }
            firstAttempt = _lastFailure is null && _connecting is null;
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
                return client;
            }
            string why = _lastFailure?.Message ?? "the connection is being made";
            throw new RpcException(RpcStatusCode.Unavailable, $"Not connected to {Target}: {why}", _lastFailure);
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
            connected = await _connect(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not ArgumentException && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            failure = ex;
        }
        finally
        {
            bool disposed;
            lock (_lock)
            {
                _connecting = null;
                disposed = _disposed;
                if (connected is not null && !disposed)
                {
                    _client = connected;
                    _lastFailure = null;
                }
                else if (failure is not null)
                {
                    _lastFailure = failure;
                    _lastFailureTimestamp = Stopwatch.GetTimestamp();
                }
            }
            if (disposed && connected is not null)
            {
                _ = connected.DisposeAsync().AsTask();
            }
        }
        if (failure is not null)
        {
            FirstConnectFailed?.Invoke(Target, failure);
        }
    }

    /// <summary>Raised after a failed attempt to make the first connection (for the log).</summary>
    public event Action<string, Exception>? FirstConnectFailed;

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
