using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO.Pipelines;
using System.Net;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Serialization;

namespace Rpc.Protocol;

/// <summary>
/// One connection's frame plumbing, shared by client and server: a read loop that splits frames off the input
/// and hands each to <see cref="OnFrame"/>, and one <see cref="RpcFrameSender"/> that every thread queues frames
/// to. Work that runs user code (a request's handler, a caller's continuation) is not run by <see cref="OnFrame"/>
/// but deferred into the read's <see cref="RpcWorkBatch"/>, which the reading thread runs once the read's frames
/// are handled, before it reads again: no hand-off per call, and what the batch sends leaves in one flush. Should
/// the batch block, <see cref="RpcConnectionWatchdog"/> moves reading (and the rest of the batch) to other
/// threads within a few milliseconds, so a blocked handler or caller never stops the connection. It knows frames,
/// not calls, and not what the pipe runs over.
/// </summary>
internal abstract class RpcConnection
{
    private readonly IDuplexPipe _pipe;
    private readonly IAsyncDisposable _transport;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _pipeLock = new();
    private readonly Lock _batchLock = new();
    private readonly List<RpcWorkBatch> _runningBatches = new();
    private readonly TaskCompletionSource _readingDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action _onReadCompleted;
    private readonly Action _resumeReading;
    private ConfiguredValueTaskAwaitable<ReadResult>.ConfiguredValueTaskAwaiter _pendingRead;
    private RpcWorkBatch? _batch;
    private RpcWorkBatch? _spareBatch;
    private RpcWorkBatch? _readerBatch;
    private ExecutionContext? _loopContext;
    private long _readEpoch;
    private bool _pipesReleased;
    private int _closing;
    private int _closeRequested;

    // Keepalive, on Environment.TickCount64's clock: when the last read completed, and when the unanswered
    // keepalive Ping went out (0: none).
    private long _lastReadTick;
    private long _keepAlivePingTick;

    private readonly RpcFrameReader _frameReader;

    protected RpcConnection(IDuplexPipe pipe, IAsyncDisposable transport, int maxFrameSize, RpcSerializerOptions serializerOptions)
    {
        _pipe = pipe;
        _transport = transport;
        MaxFrameSize = maxFrameSize;
        _frameReader = new RpcFrameReader(maxFrameSize);
        SerializerOptions = serializerOptions;
        Sender = new RpcFrameSender(pipe.Output);
        _onReadCompleted = () => RunInLoopContext(s_readCompleted);
        _resumeReading = StartReadLoop;
    }

    /// <summary>
    /// Reading pauses while more than this many bytes are queued behind a send in progress (the peer is not taking
    /// what we send), and resumes when that send completes. A server sets it: what it sends answers what it reads.
    /// A client never pauses: its reading is what lets a server that paused go on.
    /// </summary>
    protected virtual int MaxQueuedSendBytes => int.MaxValue;

    /// <summary>True while reading is paused for <see cref="MaxQueuedSendBytes"/>; for tests.</summary>
    internal bool IsReadingPaused => Sender.HasPausedReader;

    /// <summary>The connection's writer: queue frames here.</summary>
    public RpcFrameSender Sender { get; }

    /// <summary>The largest payload accepted from the peer, and sent to it.</summary>
    public int MaxFrameSize { get; }

    /// <summary>The options control payloads are written with.</summary>
    public RpcSerializerOptions SerializerOptions { get; }

    /// <summary>Flow-control high-water marks of this connection's streams.</summary>
    public RpcFlowStatistics FlowStatistics { get; } = new();

    /// <summary>Completes when reading and sending have stopped and the transport is closed.</summary>
    public Task Completion => _completion.Task;

    /// <summary>True once a close has begun; no new work should start.</summary>
    public bool IsClosing => Volatile.Read(ref _closing) != 0;

    /// <summary>When this side pings a silent peer, and how long it waits for any answer. Set before <see cref="Start"/>.</summary>
    public RpcKeepAliveSettings KeepAlive { get; init; }

    /// <summary>Why the connection closed, once it did; null while open.</summary>
    public RpcException? CloseReason { get; private set; }

    /// <summary>Where this connection's events go (null: nowhere); see <see cref="AttachLogger"/>.</summary>
    public Diagnostics.RpcLogger? Logger { get; private set; }

    /// <summary>Which end this is, for the log.</summary>
    public Diagnostics.RpcConnectionSide Side { get; private set; }

    /// <summary>The peer's endpoint, for the log.</summary>
    public EndPoint? Remote { get; private set; }

    /// <summary>Sets where events go and how they name this connection. Call before <see cref="Start"/>.</summary>
    public void AttachLogger(Diagnostics.RpcLogger? logger, Diagnostics.RpcConnectionSide side, EndPoint? remote)
    {
        Logger = logger;
        Side = side;
        Remote = remote;
        Sender.Side = side;
    }

    /// <summary>Starts the read loop. Call once, after the prefaces were exchanged.</summary>
    public void Start()
    {
        _lastReadTick = Environment.TickCount64;
        if (ReadsInCreatorContext)
        {
            _loopContext = ExecutionContext.Capture();
        }
        using (ExecutionContext.SuppressFlow())
        {
            RpcConnectionWatchdog.Register(this);
            _ = RunAsync();
        }
    }

    /// <summary>
    /// True (a client) when the read loop runs in the execution context the connection was started in: callers
    /// usually share it, and a caller resumed in the context it is already in skips a context switch (with its
    /// AsyncLocal change notifications) per call. False (a server): handlers must not inherit the listener's context.
    /// </summary>
    protected virtual bool ReadsInCreatorContext => false;

    private void StartReadLoop() => ThreadPool.UnsafeQueueUserWorkItem(static connection => connection.RunInLoopContext(s_readLoop), this, preferLocal: false);

    private static readonly ContextCallback s_readLoop = static state => ((RpcConnection)state!).ReadLoop();
    private static readonly ContextCallback s_readCompleted = static state => ((RpcConnection)state!).OnReadCompleted();

    private void RunInLoopContext(ContextCallback callback)
    {
        if (_loopContext is { } context)
        {
            ExecutionContext.Run(context, callback, this);
        }
        else
        {
            callback(this);
        }
    }

    /// <summary>The watchdog's check: sends frames left unsent, and lets another thread join a stalled batch.</summary>
    public void OnWatchdogTick()
    {
        Sender.FlushIfStalled();
        long now = Environment.TickCount64;
        if (KeepAlive.Enabled)
        {
            CheckKeepAlive(now);
        }
        OnTick(now);
        lock (_batchLock)
        {
            foreach (RpcWorkBatch batch in _runningBatches)
            {
                if (batch.IsStalled())
                {
                    if (batch.HasUnclaimedItems)
                    {
                        batch.AddRunner();
                        batch.JoinFromThreadPool();
                    }
                    if (batch == _readerBatch)
                    {
                        // Its runner holds the read role: reading goes on on another thread.
                        _readerBatch = null;
                        _readEpoch++;
                        StartReadLoop();
                    }
                }
            }
        }
    }

    // A Ping after an interval without reading; dead when nothing at all arrives within the timeout after it. Any
    // frame proves the peer alive, not only the Pong: a busy peer may answer late but is reading.
    private void CheckKeepAlive(long now)
    {
        if (IsClosing)
        {
            return;
        }
        long lastRead = Volatile.Read(ref _lastReadTick);
        long pingSent = _keepAlivePingTick;
        if (pingSent != 0)
        {
            if (lastRead >= pingSent)
            {
                _keepAlivePingTick = 0;
            }
            else
            {
                if (now - pingSent >= KeepAlive.TimeoutMs)
                {
                    Diagnostics.RpcLog.KeepAliveTimeout(Logger, Side, Remote);
                    OnKeepAliveTimeout();
                    Abort(new RpcException(RpcStatusCode.Unavailable,
                        $"The connection was closed: the peer sent nothing within {KeepAlive.TimeoutMs} ms of a keepalive ping."));
                }
                return;
            }
        }
        if (now - lastRead >= KeepAlive.IntervalMs)
        {
            _keepAlivePingTick = now;
            TryEnqueue(RpcControlFrames.CreatePingOrPong(RpcFrameType.Ping, RpcControlFrames.KeepAlivePing));
        }
    }

    /// <summary>The keepalive timeout is about to close the connection (for logs and counters).</summary>
    protected virtual void OnKeepAliveTimeout()
    {
    }

    /// <summary>Runs on the watchdog's thread every few milliseconds while the connection is open: time-based checks.</summary>
    protected virtual void OnTick(long now)
    {
    }

    /// <summary>
    /// A runner starts on <paramref name="batch"/> (the first: the watchdog watches it from now on). A reader
    /// running its read's batch says so, and gets the epoch to hand to <see cref="OnRunnerFinished"/>.
    /// </summary>
    public long OnBatchStarting(RpcWorkBatch batch, bool asReader)
    {
        lock (_batchLock)
        {
            if (batch.AddRunner())
            {
                _runningBatches.Add(batch);
            }
            if (asReader)
            {
                _readerBatch = batch;
            }
            return _readEpoch;
        }
    }

    /// <summary>
    /// A runner of <paramref name="batch"/> is done; true when it was the last (the batch is finished).
    /// <paramref name="stillReader"/> tells a reader whether it still holds the read role (the watchdog may have
    /// moved it while the batch was blocked).
    /// </summary>
    public bool OnRunnerFinished(RpcWorkBatch batch, long epoch, bool asReader, out bool stillReader)
    {
        lock (_batchLock)
        {
            stillReader = asReader && _readEpoch == epoch;
            if (stillReader)
            {
                _readerBatch = null;
            }
            if (!batch.RemoveRunner())
            {
                return false;
            }
            _runningBatches.Remove(batch);
            return true;
        }
    }

    /// <summary>Queues a finished frame and sends it (see <see cref="RpcFrameSender.TryEnqueue(in RpcOutgoingFrame, bool)"/>). False (and the frame released) once the connection is closing.</summary>
    public bool TryEnqueue(in RpcOutgoingFrame frame) => Sender.TryEnqueue(frame);

    /// <summary>Keeps a finished batch for the next read (one is enough: a reader runs its batch before reading again).</summary>
    public void ReturnBatch(RpcWorkBatch batch) => Volatile.Write(ref _spareBatch, batch);

    /// <summary>
    /// Adds work that runs user code to the current read's batch. Only code running in <see cref="OnFrame"/> calls
    /// this; the work runs after the read's frames are all handled, before the next read.
    /// </summary>
    internal void Defer(IThreadPoolWorkItem work) => (_batch ??= Interlocked.Exchange(ref _spareBatch, null) ?? new RpcWorkBatch(this)).Add(work);

    /// <summary>Closes gracefully: frames already queued go out, then reading stops and the transport closes.</summary>
    public void CloseAfterWrites(RpcException reason)
    {
        BeginClose(reason);
        if (Interlocked.Exchange(ref _closeRequested, 1) == 0)
        {
            Sender.Close();
            _ = AbortIfStuckAsync(reason);
        }
    }

    // A peer that stops reading would keep a graceful close waiting on a flush forever.
    private async Task AbortIfStuckAsync(RpcException reason)
    {
        Task finished = await Task.WhenAny(Completion, Task.Delay(CloseTimeout)).ConfigureAwait(false);
        if (finished != Completion)
        {
            Abort(reason);
        }
    }

    /// <summary>How long a graceful close may take to write what is queued before it becomes an abort.</summary>
    public static TimeSpan CloseTimeout { get; } = TimeSpan.FromSeconds(2);

    /// <summary>Closes at once: queued frames are dropped and pending reads and writes end.</summary>
    public void Abort(RpcException reason)
    {
        BeginClose(reason);
        Sender.Abort(reason);
        CancelPendingIo();
    }

    /// <summary>Sends a GoAway and closes gracefully: how a protocol violation or an oversized frame ends.</summary>
    protected void CloseWithGoAway(RpcStatusCode status, string message)
    {
        Diagnostics.RpcLog.GoAwaySent(Logger, Side, Remote, status, message);
        TryEnqueue(RpcControlFrames.CreateGoAway(SerializerOptions, LastAcceptedCallId, status, message));
        CloseAfterWrites(new RpcException(RpcStatusCode.Unavailable, "The connection was closed: " + message));
    }

    /// <summary>The last call id this side accepted, for GoAway frames; 0 on a client.</summary>
    protected virtual uint LastAcceptedCallId => 0;

    /// <summary>Handles one complete frame on the read loop. Throw <see cref="RpcProtocolException"/> to close.</summary>
    protected abstract void OnFrame(in RpcFrameHeader header, ReadOnlySpan<byte> payload);

    /// <summary>Runs once when the connection starts closing, on whichever thread closed it.</summary>
    protected abstract void OnClosing(RpcException reason);

    /// <summary>The peer announced a frame larger than <see cref="MaxFrameSize"/>.</summary>
    protected virtual void OnFrameTooLarge(in RpcFrameHeader header) =>
        CloseWithGoAway(RpcStatusCode.ResourceExhausted, $"A {header.Type} frame of {header.PayloadLength} bytes exceeds the limit of {MaxFrameSize} bytes.");

    private void BeginClose(RpcException reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 0)
        {
            CloseReason = reason;
            OnClosing(reason);
        }
    }

    private void CancelPendingIo()
    {
        lock (_pipeLock)
        {
            if (!_pipesReleased)
            {
                _pipe.Input.CancelPendingRead();
                _pipe.Output.CancelPendingFlush();
            }
        }
    }

    private async Task RunAsync()
    {
        StartReadLoop();
        Task reading = _readingDone.Task;
        Exception? failure = await Sender.Completion.ConfigureAwait(false);
        // Nothing more can be written, so nothing more is worth reading: a graceful close ends here too.
        Abort(failure as RpcException ?? new RpcException(RpcStatusCode.Unavailable, "The connection was closed."));
        await reading.ConfigureAwait(false);
        lock (_pipeLock)
        {
            _pipesReleased = true;
        }
        try
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The transport is gone either way; a failure to close it cleanly changes nothing for the calls.
        }
        RpcConnectionWatchdog.Unregister(this);
        _completion.TrySetResult();
    }

    // The read role: one thread at a time reads, handles the frames, and runs the read's batch itself before it
    // reads again, as a hand-written loop could. If the batch blocks (a handler that blocks its thread, a caller
    // that waits synchronously for another response), the watchdog moves the role to another thread.
    private void ReadLoop()
    {
        try
        {
            while (true)
            {
                // A racy look first: the queue is almost always far below the limit.
                if (Sender.QueuedBytes > MaxQueuedSendBytes && Sender.TryPauseReader(MaxQueuedSendBytes, _resumeReading))
                {
                    return;
                }
                ValueTask<ReadResult> read = _pipe.Input.ReadAsync();
                if (!read.IsCompleted)
                {
                    _pendingRead = read.ConfigureAwait(false).GetAwaiter();
                    _pendingRead.UnsafeOnCompleted(_onReadCompleted);
                    return;
                }
                if (!OnRead(read.Result))
                {
                    return;
                }
            }
        }
        catch (Exception ex)
        {
            EndReading(ex);
        }
    }

    private void OnReadCompleted()
    {
        try
        {
            ReadResult result = _pendingRead.GetResult();
            _pendingRead = default;
            if (!OnRead(result))
            {
                return;
            }
        }
        catch (Exception ex)
        {
            EndReading(ex);
            return;
        }
        ReadLoop();
    }

    /// <summary>Handles one read and runs its batch. False when this thread must stop: reading ended, or the role moved.</summary>
    private bool OnRead(in ReadResult result)
    {
        if (result.IsCanceled)
        {
            EndReading(null);
            return false;
        }
        Volatile.Write(ref _lastReadTick, Environment.TickCount64);
        ReadOnlySequence<byte> buffer = result.Buffer;
        long readLength = buffer.Length;
        bool stop;
        try
        {
            // Control frames the read answers (pongs, window updates, errors) leave together.
            using (Sender.Cork())
            {
                stop = ProcessFrames(ref buffer);
            }
        }
        finally
        {
            _pipe.Input.AdvanceTo(buffer.Start, buffer.End);
            Diagnostics.RpcTelemetry.OnBytesReceived(Side, readLength - buffer.Length);
        }
        if (stop || result.IsCompleted)
        {
            EndReading(null);
            return false;
        }
        if (TakeBatch() is not { } batch)
        {
            return true;
        }
        // False when the watchdog gave the read role to another thread while this one was blocked in the batch.
        return batch.RunAsReader();
    }

    private void EndReading(Exception? failure)
    {
        // Work already accepted still runs: requests must finish (with an error once the connection is gone), and
        // callers whose responses arrived must get them.
        if (TakeBatch() is { } last)
        {
            ThreadPool.UnsafeQueueUserWorkItem(last, preferLocal: false);
        }
        _frameReader.Release();

        // During a graceful close the sender finishes its queue and then ends everything; otherwise the peer is
        // gone or broken, and everything ends now.
        if (!IsClosing)
        {
            Abort(failure is null
                ? new RpcException(RpcStatusCode.Unavailable, "The connection was closed by the peer.")
                : new RpcException(RpcStatusCode.Unavailable, "The connection failed: " + failure.Message, failure));
        }
        _readingDone.TrySetResult();
    }

    private RpcWorkBatch? TakeBatch()
    {
        RpcWorkBatch? batch = _batch;
        if (batch is null || batch.Count == 0)
        {
            return null;
        }
        _batch = null;
        return batch;
    }

    /// <summary>Handles every complete frame in <paramref name="buffer"/>. True when the connection must stop reading.</summary>
    private bool ProcessFrames(ref ReadOnlySequence<byte> buffer)
    {
        var sink = new FrameSink(this);
        return _frameReader.Read(ref buffer, ref sink);
    }

    private readonly struct FrameSink(RpcConnection connection) : IRpcFrameSink
    {
        public bool OnFrame(in RpcFrameHeader header, ReadOnlySpan<byte> payload) => connection.Dispatch(header, payload);

        public void OnFrameTooLarge(in RpcFrameHeader header) => connection.OnFrameTooLarge(header);
    }

    private bool Dispatch(in RpcFrameHeader header, ReadOnlySpan<byte> payload)
    {
        try
        {
            OnFrame(header, payload);
            return !IsClosing;
        }
        catch (RpcProtocolException ex)
        {
            CloseWithGoAway(ex.Status, ex.Message);
            return false;
        }
    }
}
