using System;
using System.Buffers;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;
using Rpc.Serialization;

namespace Rpc.Protocol;

/// <summary>
/// The receiving side of one stream: the connection's read loop adds items (copies of their payloads) without ever
/// waiting, bounded by the credit this side granted; one consumer takes them, and as it does, credit goes back to
/// the sender in WindowUpdate frames. So what is buffered here never exceeds the window plus one item. A consumer
/// waiting for items is resumed with the read's batch, after all the items of the read were added: it takes them
/// in one go, on the thread that read them.
/// </summary>
internal sealed class RpcStreamReceiver : IValueTaskSource, IThreadPoolWorkItem
{
    private static readonly Action<object?> s_onWaitCancelled = static state => ((RpcStreamReceiver)state!).OnWaitCancelled();

    private readonly Lock _lock = new();
    private readonly Queue<RpcReceivedItem> _items = new();
    private RpcConnection _connection;
    private readonly int _grantThreshold;
    private ManualResetValueTaskSourceCore<bool> _core;
    private CancellationTokenRegistration _waitRegistration;
    private CancellationToken _waitToken;
    private long _credit;
    private long _buffered;
    private int _ungranted;
    private bool _waiting;
    private bool _ended;
    private bool _aborted;
    private Exception? _error;

    /// <summary>
    /// A stream's receiver; <paramref name="connection"/> may be null for a client call still waiting for a
    /// connection, which then <see cref="Attach"/>es it before anything can arrive.
    /// </summary>
    public RpcStreamReceiver(RpcConnection? connection, int window)
    {
        _connection = connection!;
        _credit = window;
        // Credit goes back in batches of a quarter window: few WindowUpdates, and the sender never starves while
        // the consumer keeps up.
        _grantThreshold = Math.Max(1, window / 4);
        _core.RunContinuationsAsynchronously = true;
    }

    /// <summary>Sets the connection of a receiver made without one; before the call starts.</summary>
    public void Attach(RpcConnection connection) => _connection = connection;

    /// <summary>The stream's call id; set once the call has one, before any item can arrive.</summary>
    public uint CallId { get; set; }

    /// <summary>
    /// Adds an item on the read loop. Throws <see cref="RpcProtocolException"/> when the peer sent it without
    /// credit or after the end of the stream. Items for a stream whose consumer is gone are dropped.
    /// </summary>
    public void Add(ReadOnlySpan<byte> payload)
    {
        int cost = RpcFlowControl.Cost(payload.Length);
        byte[] copy = RpcBufferPool.Rent(Math.Max(payload.Length, 1));
        payload.CopyTo(copy);
        bool wake;
        long buffered;
        lock (_lock)
        {
            if (_aborted)
            {
                RpcBufferPool.Return(copy);
                return;
            }
            if (_ended)
            {
                RpcBufferPool.Return(copy);
                throw new RpcProtocolException(RpcStatusCode.Internal, $"A stream item for call {CallId} arrived after the end of its stream.");
            }
            if (_credit <= 0)
            {
                RpcBufferPool.Return(copy);
                throw new RpcProtocolException(RpcStatusCode.ResourceExhausted, $"A stream item for call {CallId} arrived without flow-control credit.");
            }
            _credit -= cost;
            buffered = _buffered += cost;
            _items.Enqueue(new RpcReceivedItem(copy, payload.Length));
            wake = TakeWaiter();
        }
        _connection.FlowStatistics.RecordBuffered(buffered);
        if (wake)
        {
            _connection.Defer(this);
        }
    }

    /// <summary>Resumes the consumer that <see cref="Add"/> found waiting, from the read's batch, on this thread.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        _core.RunContinuationsAsynchronously = false;
        _core.SetResult(true);
    }

    /// <summary>
    /// No more items will come: the consumer takes what is buffered, then sees the end, or <paramref name="error"/>.
    /// </summary>
    public void Complete(Exception? error)
    {
        bool wake;
        lock (_lock)
        {
            if (_aborted || (_ended && error is null))
            {
                return;
            }
            _ended = true;
            _error ??= error;
            wake = TakeWaiter();
        }
        if (wake)
        {
            Wake();
        }
    }

    /// <summary>The consumer is gone or the call failed at once: buffered items are dropped and the consumer sees <paramref name="error"/>.</summary>
    public void Abort(Exception error)
    {
        bool wake;
        lock (_lock)
        {
            if (!_aborted)
            {
                _aborted = true;
                _ended = true;
                _error = error;
            }
            while (_items.TryDequeue(out RpcReceivedItem item))
            {
                _buffered -= item.Cost;
                RpcBufferPool.Return(item.Buffer);
            }
            wake = TakeWaiter();
        }
        if (wake)
        {
            Wake();
        }
    }

    // Resumes the consumer on the thread pool: completions from anywhere but the read loop's batch.
    private void Wake()
    {
        _core.RunContinuationsAsynchronously = true;
        _core.SetResult(true);
    }

    /// <summary>
    /// Takes the next item and deserializes it. False when none is buffered. Throws what the formatter throws
    /// (the item is consumed either way).
    /// </summary>
    public bool TryTake<T>(RpcSerializerOptions options, out T value)
    {
        RpcReceivedItem item;
        lock (_lock)
        {
            if (!_items.TryDequeue(out item))
            {
                value = default!;
                return false;
            }
        }
        try
        {
            var reader = new RpcReader(item.Buffer.AsSpan(0, item.Length), options);
            value = reader.ReadValue<T>()!;
        }
        finally
        {
            RpcBufferPool.Return(item.Buffer);
            OnConsumed(item.Cost);
        }
        return true;
    }

    /// <summary>When nothing is buffered: true when the stream is over, with its error (null for a clean end).</summary>
    public bool IsOver(out Exception? error)
    {
        lock (_lock)
        {
            error = _error;
            return _ended && _items.Count == 0;
        }
    }

    /// <summary>Completes when an item is buffered or the stream is over, or throws when <paramref name="cancellationToken"/> fires first.</summary>
    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_items.Count > 0 || _ended)
            {
                return default;
            }
            _core.Reset();
            _waiting = true;
            if (cancellationToken.CanBeCanceled)
            {
                // Registered under the lock (which the callback also takes, re-entrantly if it runs right here), so
                // the registration is stored before anything can complete this wait.
                _waitToken = cancellationToken;
                _waitRegistration = cancellationToken.UnsafeRegister(s_onWaitCancelled, this);
            }
            return new ValueTask(this, _core.Version);
        }
    }

    private void OnConsumed(int cost)
    {
        int grant = 0;
        lock (_lock)
        {
            _buffered -= cost;
            if (!_ended)
            {
                _ungranted += cost;
                if (_ungranted >= _grantThreshold)
                {
                    grant = _ungranted;
                    _ungranted = 0;
                    _credit += grant;
                }
            }
        }
        if (grant > 0)
        {
            _connection.TryEnqueue(RpcControlFrames.CreateWindowUpdate(CallId, (uint)grant));
        }
    }

    private bool TakeWaiter()
    {
        if (!_waiting)
        {
            return false;
        }
        _waiting = false;
        return true;
    }

    private void OnWaitCancelled()
    {
        CancellationToken token;
        lock (_lock)
        {
            if (!TakeWaiter())
            {
                return;
            }
            token = _waitToken;
        }
        _core.RunContinuationsAsynchronously = true;
        _core.SetException(new OperationCanceledException(token));
    }

    void IValueTaskSource.GetResult(short token)
    {
        CancellationTokenRegistration registration;
        lock (_lock)
        {
            registration = _waitRegistration;
            _waitRegistration = default;
            _waitToken = default;
        }
        registration.Dispose();
        _core.GetResult(token);
    }

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
