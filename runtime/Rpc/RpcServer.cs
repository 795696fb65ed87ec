using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Protocol;
using Rpc.Server;
using Rpc.Transport;

namespace Rpc;

/// <summary>
/// Serves the services added with <see cref="AddService{TService}(TService)"/> on every endpoint passed to
/// <see cref="ListenAsync"/>. Each connection carries many concurrent calls; handlers run on thread-pool threads,
/// the requests of one read as a batch on the thread that read them (docs/threading.md).
/// </summary>
public sealed class RpcServer : IAsyncDisposable, IRpcMethodTable
{
    private readonly RpcServerOptions _options;
    private readonly object _lock = new();
    private readonly List<RpcTransportListener> _listeners = new();
    private readonly List<Task> _acceptLoops = new();
    private readonly HashSet<RpcServerConnection> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly RpcServerInterceptorPipeline? _interceptors;
    // The telemetry interceptor outermost, then the user's: the chain of calls someone traces or measures.
    private readonly RpcServerInterceptorPipeline _observedInterceptors;
    private volatile Dictionary<uint, RpcServerMethod> _methods = new();
    private bool _disposed;
    private Task? _stopTask;
    private readonly SslServerAuthenticationOptions? _tls;
    private int _openConnections;
    private long _rejectedConnections;
    private readonly List<IAsyncDisposable> _registrations = new();

    /// <summary>Creates a server; nothing listens until <see cref="ListenAsync"/>. The options are read now.</summary>
    /// <exception cref="ArgumentException">An option is out of its range; the message names it.</exception>
    public RpcServer(RpcServerOptions? options = null)
    {
        _options = options ?? new RpcServerOptions();
        _options.Validate();
        _tls = _options.Tls is { } tls ? RpcTls.Copy(tls) : null;
        if (_options.Interceptors.Count > 0)
        {
            _interceptors = new RpcServerInterceptorPipeline(_options.Interceptors);
        }
        var observed = new List<IRpcServerInterceptor>(_options.Interceptors.Count + 1) { Diagnostics.RpcServerTelemetry.Instance };
        observed.AddRange(_options.Interceptors);
        _observedInterceptors = new RpcServerInterceptorPipeline(observed);
        Health = new Health.RpcHealthService(Serves);
        AddService<Health.IRpcHealth>(Health);
    }

    /// <summary>
    /// The health service this server hosts (<see cref="Health.IRpcHealth"/>, like grpc.health.v1): set statuses on
    /// it; it answers NotServing, and ends every Watch, once <see cref="StopAsync"/> starts draining.
    /// </summary>
    public Health.RpcHealthService Health { get; }

    /// <summary>Whether a service of that name is served here (for the health service).</summary>
    private bool Serves(string serviceName)
    {
        foreach (RpcServerMethod method in _methods.Values)
        {
            if (method.Descriptor.ServiceName == serviceName)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The open connections, for tests that read their flow-control statistics.</summary>
    internal RpcServerConnection[] Connections
    {
        get
        {
            lock (_lock)
            {
                var connections = new RpcServerConnection[_connections.Count];
                _connections.CopyTo(connections);
                return connections;
            }
        }
    }

    /// <summary>
    /// Adds a service: every method of <typeparamref name="TService"/> is dispatched to
    /// <paramref name="implementation"/>. Services can be added before or after listening.
    /// </summary>
    /// <exception cref="InvalidOperationException">No binder was generated for <typeparamref name="TService"/>, or one of its method ids is already served.</exception>
    public void AddService<TService>(TService implementation) where TService : class
    {
        ArgumentNullException.ThrowIfNull(implementation);
        Action<RpcServiceBinder<TService>> bind = RpcServiceRegistry.GetBinder<TService>();
        var binder = new RpcServiceBinder<TService>(implementation);
        bind(binder);
        lock (_lock)
        {
            // Copy on write: read loops look methods up without a lock.
            _methods = binder.AddTo(_methods);
        }
    }

    /// <summary>
    /// Adds a service whose instance is made per call: <paramref name="activator"/> creates the instance that serves
    /// each call, and what it returns to dispose is disposed when that call ends (see <see cref="IRpcServiceActivator{TService}"/>).
    /// Services can be added before or after listening.
    /// </summary>
    /// <exception cref="InvalidOperationException">No binder was generated for <typeparamref name="TService"/>, or one of its method ids is already served.</exception>
    public void AddService<TService>(IRpcServiceActivator<TService> activator) where TService : class
    {
        ArgumentNullException.ThrowIfNull(activator);
        Action<RpcServiceBinder<TService>> bind = RpcServiceRegistry.GetBinder<TService>();
        var binder = new RpcServiceBinder<TService>(activator);
        bind(binder);
        lock (_lock)
        {
            _methods = binder.AddTo(_methods);
        }
    }

    bool IRpcMethodTable.TryGetMethod(uint methodId, [NotNullWhen(true)] out RpcServerMethod? method) =>
        _methods.TryGetValue(methodId, out method);

    /// <summary>
    /// Starts listening on <paramref name="endPoint"/>: an <see cref="IPEndPoint"/> (TCP),
    /// a <see cref="System.Net.Sockets.UnixDomainSocketEndPoint"/>, or an <see cref="InMemoryEndPoint"/>.
    /// Returns the bound endpoint; for TCP port 0 it carries the port the system chose.
    /// </summary>
    public Task<EndPoint> ListenAsync(EndPoint endPoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        cancellationToken.ThrowIfCancellationRequested();
        if (_tls is not null && endPoint is InMemoryEndPoint)
        {
            throw new ArgumentException("TLS (RpcServerOptions.Tls) needs a TCP or Unix socket endpoint, not an in-memory one.", nameof(endPoint));
        }
        RpcTransportListener listener = RpcTransport.Listen(endPoint);
        lock (_lock)
        {
            if (_disposed)
            {
                _ = listener.DisposeAsync();
                throw new ObjectDisposedException(nameof(RpcServer));
            }
            _listeners.Add(listener);
            _acceptLoops.Add(AcceptLoopAsync(listener));
        }
        return Task.FromResult(listener.EndPoint);
    }

    private async Task AcceptLoopAsync(RpcTransportListener listener)
    {
        await Task.Yield();
        while (true)
        {
            RpcTransportConnection? transport;
            try
            {
                transport = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Stopped (cancelled or disposed) or broken: either way this listener accepts no more.
                if (!_stopping.IsCancellationRequested)
                {
                    Diagnostics.RpcLog.AcceptFailed(_options.Logger, listener.EndPoint, ex);
                }
                return;
            }
            if (transport is null)
            {
                return;
            }
            // The handshake runs on its own so that a slow or silent client never delays the next accept.
            _ = HandshakeAsync(transport);
        }
    }

    private async Task HandshakeAsync(RpcTransportConnection transport)
    {
        // Every connection counts from its accept, handshake included: a flood of silent sockets is bounded too.
        if (Interlocked.Increment(ref _openConnections) > _options.MaxConnections)
        {
            Interlocked.Decrement(ref _openConnections);
            Interlocked.Increment(ref _rejectedConnections);
            await transport.DisposeAsync().ConfigureAwait(false);
            return;
        }
        try
        {
            await RunConnectionAsync(transport).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _openConnections);
        }
    }

    private async Task RunConnectionAsync(RpcTransportConnection transport)
    {
        TimeSpan limit = _tls is null ? _options.PrefaceTimeout : Min(_options.HandshakeTimeout, _options.PrefaceTimeout);
        RpcTransportConnection? accepted = await RpcConnectionSetup.AcceptAsync(transport, _tls, limit, _stopping.Token).ConfigureAwait(false);

        RpcServerConnection? connection = null;
        if (accepted is not null)
        {
            lock (_lock)
            {
                if (!_disposed)
                {
                    connection = new RpcServerConnection(accepted, accepted, accepted.RemoteEndPoint, _options, _interceptors, this)
                    {
                        PeerCertificate = accepted.RemoteCertificate,
                    };
                    connection.AttachLogger(_options.Logger, Diagnostics.RpcConnectionSide.Server, connection.Peer);
                    connection.ObservedInterceptors = _observedInterceptors;
                    AttachLimitLog(connection);
                    _connections.Add(connection);
                }
            }
        }
        if (connection is null)
        {
            await (accepted ?? transport).DisposeAsync().ConfigureAwait(false);
            return;
        }

        connection.Start();
        Diagnostics.RpcLog.ConnectionOpened(connection.Logger, Diagnostics.RpcConnectionSide.Server, connection.Peer);
        Diagnostics.RpcTelemetry.OnConnectionOpened(Diagnostics.RpcConnectionSide.Server);
        await connection.Completion.ConfigureAwait(false);
        Diagnostics.RpcTelemetry.OnConnectionClosed(Diagnostics.RpcConnectionSide.Server);
        Diagnostics.RpcLog.ConnectionClosed(connection.Logger, Diagnostics.RpcConnectionSide.Server, connection.Peer, connection.CloseReason);
        lock (_lock)
        {
            _connections.Remove(connection);
        }
    }

    /// <summary>Reports the connection's closes for a limit to <see cref="RpcServerOptions.Logger"/>, when there is one.</summary>
    private void AttachLimitLog(RpcServerConnection connection)
    {
        if (_options.Logger is null)
        {
            return;
        }
        connection.ClosingForLimit = static (closing, limit) => Diagnostics.RpcLog.ConnectionLimitReached(closing.Logger, closing.Peer, limit);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Connections accepted and closed at once because <see cref="RpcServerOptions.MaxConnections"/> were open.</summary>
    public long RejectedConnections => Interlocked.Read(ref _rejectedConnections);

    /// <summary>Connections accepted and not yet closed, handshakes included; for tests that check nothing leaks.</summary>
    internal int OpenConnections => Volatile.Read(ref _openConnections);

    /// <summary>
    /// Registers <paramref name="instance"/> in <paramref name="registry"/> for as long as the server runs: a stop
    /// removes the registration first, before any GoAway, so that clients stop choosing this server before it
    /// drains (a rolling restart fails no call).
    /// </summary>
    public async Task RegisterAsync(Discovery.IRpcServiceRegistry registry, Discovery.RpcServiceInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(instance);
        IAsyncDisposable registration = await registry.RegisterAsync(instance, cancellationToken).ConfigureAwait(false);
        bool stopped;
        lock (_lock)
        {
            stopped = _disposed;
            if (!stopped)
            {
                _registrations.Add(registration);
            }
        }
        if (stopped)
        {
            await registration.DisposeAsync().ConfigureAwait(false);
            throw new ObjectDisposedException(nameof(RpcServer));
        }
    }

    /// <summary>
    /// Stops the server gracefully (a drain): stops accepting connections, tells every client with a two-phase
    /// GoAway to send new calls elsewhere, lets the calls in flight (streams included) finish until
    /// <paramref name="cancellationToken"/> fires, then cancels what remains and closes the connections. Clients
    /// move their new calls to a new connection without failing them. Calling it again, or after
    /// <see cref="DisposeAsync"/>, waits for the same stop.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _stopTask ??= StopCoreAsync(cancellationToken);
            return _stopTask;
        }
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        // NotServing from the first moment, and open health watches end rather than hold the drain open.
        Health.BeginDrain();
        await Task.Yield();
        RpcTransportListener[] listeners;
        Task[] acceptLoops;
        IAsyncDisposable[] registrations;
        lock (_lock)
        {
            _disposed = true;
            listeners = _listeners.ToArray();
            acceptLoops = _acceptLoops.ToArray();
            registrations = _registrations.ToArray();
            _registrations.Clear();
        }

        // Out of the registry first: clients stop choosing this server before it says GoAway.
        foreach (IAsyncDisposable registration in registrations)
        {
            try
            {
                await registration.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The registry is unreachable: the lease expires by itself, and the drain goes on regardless.
                Diagnostics.RpcLog.RegistrationFailed(_options.Logger, null, ex);
            }
        }

        _stopping.Cancel();
        foreach (RpcTransportListener listener in listeners)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
        await Task.WhenAll(acceptLoops).ConfigureAwait(false);

        RpcServerConnection[] connections;
        lock (_lock)
        {
            connections = new RpcServerConnection[_connections.Count];
            _connections.CopyTo(connections);
        }

        var idle = new Task[connections.Length];
        for (int i = 0; i < connections.Length; i++)
        {
            idle[i] = connections[i].BeginShutdown();
        }
        try
        {
            await Task.WhenAll(idle).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Past the grace period: the calls still running are cancelled and their clients see the close.
        }

        var closed = new Task[connections.Length];
        var reason = new RpcException(RpcStatusCode.Unavailable, "The server shut down.");
        for (int i = 0; i < connections.Length; i++)
        {
            connections[i].CancelActiveCalls();
            connections[i].CloseAfterWrites(reason);
            closed[i] = connections[i].Completion;
        }
        await Task.WhenAll(closed).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops the server as <see cref="StopAsync"/> does, giving calls in flight up to
    /// <see cref="RpcServerOptions.ShutdownTimeout"/> to finish.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(_options.ShutdownTimeout);
        await StopAsync(grace.Token).ConfigureAwait(false);
    }
}
