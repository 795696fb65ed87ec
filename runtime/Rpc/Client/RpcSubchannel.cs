using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Protocol;
using Rpc.Transport;

namespace Rpc.Client;

/// <summary>
/// A client's connection to one endpoint, kept alive: it holds at most one Ready <see cref="RpcClientConnection"/>
/// and replaces it when it drops or the server sends GoAway, reconnecting with exponential backoff
/// (<see cref="RpcConnectionBackoff"/>) until disposed. Its <see cref="State"/> follows gRPC's connectivity states.
/// Calls take <see cref="ReadyConnection"/> when there is one (a volatile read: the hot path) and otherwise wait
/// through <see cref="WaitForReadyAsync(bool, DateTimeOffset?, RpcMethodDescriptor?, CancellationToken)"/>. A balancer holds one per instance.
/// </summary>
internal sealed class RpcSubchannel : RpcConnectionSource
{
    private readonly RpcClientSettings _settings;
    private readonly object _lock = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly List<RpcClientConnection> _retired = new();
    private RpcClientConnection? _ready;
    private RpcConnectionState _state = RpcConnectionState.Idle;
    private TaskCompletionSource _stateChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _lastFailure;
    private Task _connecting = Task.CompletedTask;
    private int _reconnects;

    public RpcSubchannel(EndPoint endPoint, RpcClientSettings settings)
    {
        EndPoint = endPoint;
        _settings = settings;
    }

    public EndPoint EndPoint { get; }

    /// <summary>The connection calls go to now; null unless <see cref="State"/> is Ready.</summary>
    public RpcClientConnection? ReadyConnection => Volatile.Read(ref _ready);

    /// <summary>When the current connection became Ready (Environment.TickCount64), for a balancer's slow start.</summary>
    public long ReadySinceTick { get; private set; }

    public override RpcClientConnection? Pick(RpcClientCallContext? context, string? hashKey) => Volatile.Read(ref _ready);

    public override ValueTask<RpcClientConnection> WaitForReadyAsync(RpcClientCallContext? context, string? hashKey, RpcMethodDescriptor method, CancellationToken cancellationToken) =>
        WaitForReadyAsync(context?.CallOptions?.WaitForReady ?? false, context?.Deadline, method, cancellationToken);

    public override RpcConnectionState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>Calls waiting for a response on the Ready connection (a racy read, for balancers).</summary>
    public int CallsInFlight => Volatile.Read(ref _ready)?.CallsInFlight ?? 0;

    /// <summary>Calls waiting for a response on every connection, draining ones included.</summary>
    public int AllCallsInFlight
    {
        get
        {
            lock (_lock)
            {
                int count = _ready?.CallsInFlight ?? 0;
                foreach (RpcClientConnection connection in _retired)
                {
                    count += connection.CallsInFlight;
                }
                return count;
            }
        }
    }

    /// <summary>Connections made after the first, for tests and metrics.</summary>
    public int Reconnects => Volatile.Read(ref _reconnects);

    /// <summary>Raised (outside the lock) after every change of <see cref="State"/>.</summary>
    public event Action<RpcSubchannel, RpcConnectionState>? StateChanged;

    /// <summary>
    /// Makes the first connection, and fails if it cannot (what <see cref="RpcClient.ConnectAsync(EndPoint, RpcClientOptions?, CancellationToken)"/>
    /// promises); from then on the subchannel reconnects by itself.
    /// </summary>
    public async Task ConnectFirstAsync(CancellationToken cancellationToken)
    {
        SetState(RpcConnectionState.Connecting, null);
        RpcClientConnection connection;
        try
        {
            connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            SetState(RpcConnectionState.Idle, ex);
            throw;
        }
        Adopt(connection);
    }

    /// <summary>Starts connecting unless a connection is Ready or an attempt is under way (a balancer's first use).</summary>
    public void RequestConnection()
    {
        lock (_lock)
        {
            if (_state != RpcConnectionState.Idle)
            {
                return;
            }
            _state = RpcConnectionState.Connecting;
            _connecting = ConnectLoopAsync(firstAttemptNow: true);
        }
        RaiseChanged(RpcConnectionState.Connecting);
    }

    /// <summary>
    /// The Ready connection, waiting for one while Connecting. In TransientFailure it fails at once with
    /// <see cref="RpcStatusCode.Unavailable"/> unless <paramref name="waitForReady"/>; it fails with
    /// <see cref="RpcStatusCode.DeadlineExceeded"/> at <paramref name="deadline"/> and with
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async ValueTask<RpcClientConnection> WaitForReadyAsync(bool waitForReady, DateTimeOffset? deadline, RpcMethodDescriptor? method, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_ready is { IsDraining: false, IsClosing: false } ready)
                {
                    return ready;
                }
                switch (_state)
                {
                    case RpcConnectionState.Shutdown:
                        throw new RpcException(RpcStatusCode.Unavailable, "The client was disposed.");
                    case RpcConnectionState.TransientFailure when !waitForReady:
                        throw new RpcException(RpcStatusCode.Unavailable,
                            $"No connection to {EndPoint}: {_lastFailure?.Message ?? "the last attempt failed"} (reconnecting; set RpcCallOptions.WaitForReady to wait).", _lastFailure);
                    case RpcConnectionState.Idle:
                        _state = RpcConnectionState.Connecting;
                        _connecting = ConnectLoopAsync(firstAttemptNow: true);
                        break;
                }
                changed = _stateChanged.Task;
            }
            if (!await WaitForChangeAsync(changed, deadline, cancellationToken).ConfigureAwait(false))
            {
                throw DeadlineExceeded(method);
            }
        }
    }

    private static RpcException DeadlineExceeded(RpcMethodDescriptor? method) =>
        new(RpcStatusCode.DeadlineExceeded, method is null
            ? "The deadline passed while waiting for a connection."
            : $"The deadline of the call to {method} passed while waiting for a connection.");

    private async Task<RpcClientConnection> OpenAsync(CancellationToken cancellationToken)
    {
        RpcTransportConnection transport = await RpcConnectionSetup.ConnectAsync(EndPoint, _settings.Options.ConnectTimeout, _settings.Tls, cancellationToken).ConfigureAwait(false);
        var connection = new RpcClientConnection(transport, transport, _settings, EndPoint) { IsSecure = transport.IsSecure };
        connection.GoAwayReceived = OnGoAway;
        connection.AttachLogger(_settings.Options.Logger, Diagnostics.RpcConnectionSide.Client, EndPoint);
        connection.Start();
        Diagnostics.RpcLog.ConnectionOpened(connection.Logger, Diagnostics.RpcConnectionSide.Client, EndPoint);
        Diagnostics.RpcTelemetry.OnConnectionOpened(Diagnostics.RpcConnectionSide.Client);
        return connection;
    }

    private void Adopt(RpcClientConnection connection)
    {
        lock (_lock)
        {
            if (_state == RpcConnectionState.Shutdown)
            {
                _retired.Add(connection);
            }
            else
            {
                ReadySinceTick = Environment.TickCount64;
                Volatile.Write(ref _ready, connection);
            }
        }
        if (ReadyConnection != connection)
        {
            Close(connection, "The client was disposed.");
            return;
        }
        SetState(RpcConnectionState.Ready, null);
        _ = WatchAsync(connection);
    }

    private async Task WatchAsync(RpcClientConnection connection)
    {
        await connection.Completion.ConfigureAwait(false);
        Diagnostics.RpcTelemetry.OnConnectionClosed(Diagnostics.RpcConnectionSide.Client);
        Diagnostics.RpcLog.ConnectionClosed(connection.Logger, Diagnostics.RpcConnectionSide.Client, EndPoint, connection.CloseReason);
        OnLost(connection, drained: false);
    }

    // The server's first GoAway: this connection finishes what it has, new calls need another.
    private void OnGoAway(RpcClientConnection connection) => OnLost(connection, drained: true);

    private void OnLost(RpcClientConnection connection, bool drained)
    {
        lock (_lock)
        {
            if (_ready != connection)
            {
                return;
            }
            Volatile.Write(ref _ready, null);
            if (_state == RpcConnectionState.Shutdown)
            {
                return;
            }
            if (drained)
            {
                _retired.Add(connection);
                _ = RemoveWhenClosedAsync(connection);
            }
            _state = RpcConnectionState.Connecting;
            // The connection was good: the first attempt goes now, backoff starts only after a failure.
            _connecting = ConnectLoopAsync(firstAttemptNow: true);
        }
        RaiseChanged(RpcConnectionState.Connecting);
    }

    private async Task RemoveWhenClosedAsync(RpcClientConnection connection)
    {
        await connection.Completion.ConfigureAwait(false);
        lock (_lock)
        {
            _retired.Remove(connection);
        }
    }

    private async Task ConnectLoopAsync(bool firstAttemptNow)
    {
        // Off the caller's thread and flow: a read loop or a caller must never run the attempts.
        await Task.Yield();
        CancellationToken shutdown = _shutdown.Token;
        int failures = 0;
        if (!firstAttemptNow)
        {
            failures = 1;
        }
        while (!shutdown.IsCancellationRequested)
        {
            if (failures > 0)
            {
                try
                {
                    await Task.Delay(_settings.Backoff.Delay(failures), shutdown).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                if (!SetState(RpcConnectionState.Connecting, null))
                {
                    return;
                }
                Diagnostics.RpcLog.Reconnecting(_settings.Options.Logger, EndPoint, failures + 1);
            }
            try
            {
                RpcClientConnection connection = await OpenAsync(shutdown).ConfigureAwait(false);
                Interlocked.Increment(ref _reconnects);
                Diagnostics.RpcTelemetry.OnReconnect();
                Adopt(connection);
                return;
            }
            catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                Diagnostics.RpcLog.ReconnectFailed(_settings.Options.Logger, EndPoint, failures, ex);
                if (!SetState(RpcConnectionState.TransientFailure, ex))
                {
                    return;
                }
            }
        }
    }

    // False once shut down: the state never leaves Shutdown.
    private bool SetState(RpcConnectionState state, Exception? failure)
    {
        lock (_lock)
        {
            if (_state == RpcConnectionState.Shutdown)
            {
                return false;
            }
            _state = state;
            if (failure is not null)
            {
                _lastFailure = failure;
            }
        }
        RaiseChanged(state);
        return true;
    }

    private void RaiseChanged(RpcConnectionState state)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            changed = _stateChanged;
            _stateChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
        try
        {
            StateChanged?.Invoke(this, state);
        }
        catch (Exception)
        {
            // A listener's failure must not stop the subchannel; listeners are internal and do not throw.
        }
    }

    private static void Close(RpcClientConnection connection, string why)
    {
        var reason = new RpcException(RpcStatusCode.Unavailable, why);
        if (!connection.IsClosing)
        {
            // Tell the server, then close: GoAway is the last frame it gets from us.
            connection.TryEnqueue(RpcControlFrames.CreateGoAway(connection.SerializerOptions, 0, RpcStatusCode.OK, "The client is closing."));
            connection.CloseAfterWrites(reason);
        }
    }

    /// <summary>Shuts down: no more reconnects; every connection closes and its pending calls fail with Unavailable.</summary>
    public override async ValueTask DisposeAsync()
    {
        RpcClientConnection? ready;
        RpcClientConnection[] retired;
        Task connecting;
        lock (_lock)
        {
            if (_state == RpcConnectionState.Shutdown)
            {
                return;
            }
            _state = RpcConnectionState.Shutdown;
            ready = _ready;
            Volatile.Write(ref _ready, null);
            retired = _retired.ToArray();
            connecting = _connecting;
        }
        _shutdown.Cancel();
        RaiseChanged(RpcConnectionState.Shutdown);
        await connecting.ConfigureAwait(false);

        var closing = new List<Task>();
        foreach (RpcClientConnection connection in ready is null ? retired : [ready, .. retired])
        {
            Close(connection, "The client was disposed.");
            closing.Add(connection.Completion);
        }
        try
        {
            await Task.WhenAll(closing).WaitAsync(RpcConnection.CloseTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            foreach (RpcClientConnection connection in ready is null ? retired : [ready, .. retired])
            {
                connection.Abort(new RpcException(RpcStatusCode.Unavailable, "The client was disposed."));
            }
            await Task.WhenAll(closing).ConfigureAwait(false);
        }
        _shutdown.Dispose();
    }
}
