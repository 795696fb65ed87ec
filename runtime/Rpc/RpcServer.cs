using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Net;
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
    private volatile Dictionary<uint, RpcServerMethod> _methods = new();
    private bool _disposed;

    /// <summary>Creates a server; nothing listens until <see cref="ListenAsync"/>. The options are read now.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range (<see cref="RpcServerOptions.StreamWindowSize"/>, <see cref="RpcServerOptions.MaxMetadataSize"/>, <see cref="RpcServerOptions.MaxConcurrentCallsPerConnection"/>, <see cref="RpcServerOptions.MaxQueuedSendBytesPerConnection"/>).</exception>
    public RpcServer(RpcServerOptions? options = null)
    {
        _options = options ?? new RpcServerOptions();
        RpcFlowControl.Validate(_options.StreamWindowSize, nameof(RpcServerOptions.StreamWindowSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.MaxMetadataSize, nameof(RpcServerOptions.MaxMetadataSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.MaxConcurrentCallsPerConnection, nameof(RpcServerOptions.MaxConcurrentCallsPerConnection));
        // At least one stream's initial window: below it, a single server stream's items could pause reading often.
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxQueuedSendBytesPerConnection, RpcFlowControl.InitialWindow, nameof(RpcServerOptions.MaxQueuedSendBytesPerConnection));
        if (_options.Interceptors.Count > 0)
        {
            _interceptors = new RpcServerInterceptorPipeline(_options.Interceptors);
        }
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
            catch (Exception)
            {
                // Stopped (cancelled or disposed) or broken: either way this listener accepts no more.
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
        bool accepted = false;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(_options.PrefaceTimeout);
            if (await RpcPreface.ReadAsync(transport.Input, timeout.Token).ConfigureAwait(false))
            {
                RpcPreface.Write(transport.Output);
                FlushResult flushed = await transport.Output.FlushAsync(timeout.Token).ConfigureAwait(false);
                accepted = !flushed.IsCompleted && !flushed.IsCanceled;
            }
        }
        catch (Exception)
        {
            // A timeout, a reset, a shutdown: in every case the connection is refused.
        }

        RpcServerConnection? connection = null;
        if (accepted)
        {
            lock (_lock)
            {
                if (!_disposed)
                {
                    connection = new RpcServerConnection(transport, transport, transport.RemoteEndPoint, _options, _interceptors, this);
                    _connections.Add(connection);
                }
            }
        }
        if (connection is null)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            return;
        }

        connection.Start();
        await connection.Completion.ConfigureAwait(false);
        lock (_lock)
        {
            _connections.Remove(connection);
        }
    }

    /// <summary>
    /// Stops the server: stops accepting connections, sends every client a GoAway, lets calls in flight finish
    /// for up to <see cref="RpcServerOptions.ShutdownTimeout"/>, then cancels the rest and closes the connections.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        RpcTransportListener[] listeners;
        Task[] acceptLoops;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            listeners = _listeners.ToArray();
            acceptLoops = _acceptLoops.ToArray();
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
            await Task.WhenAll(idle).WaitAsync(_options.ShutdownTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
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
        _stopping.Dispose();
    }
}
