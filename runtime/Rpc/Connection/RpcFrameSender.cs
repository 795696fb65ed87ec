using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Rpc.Protocol;

/// <summary>
/// A connection's only writer. Any thread queues finished frames; whoever finds nobody sending takes the sender
/// role and writes everything queued into the output with one flush per round, on its own thread (an idle
/// connection sends with no hand-off; a busy one coalesces what was queued meanwhile into the next round).
/// A thread that knows more frames are coming can hold them back: a <see cref="Cork"/> scope (the read loop's
/// batches) or a deferred enqueue (stream pumps) queues without sending, and the scope's end or an explicit
/// <see cref="Flush"/> sends them in one round. Held-back frames never wait long: <see cref="RpcConnectionWatchdog"/>
/// sends what has sat unsent for a tick, so a handler that blocks while frames are corked delays them by
/// milliseconds at most.
/// </summary>
internal sealed class RpcFrameSender : IThreadPoolWorkItem
{
    // Frames held back by a cork (a batch's responses, or the requests of the callers it resumed) are sent once
    // this much is queued, while the batch goes on: the peer starts on the first part of a large batch instead of
    // waiting for all of it, so both ends work at once (load test, 256 callers on one connection: 0.88-1.11M
    // calls/s against 0.73M when each batch left whole). Smaller parts cost more in sends and wake-ups than they
    // gain: at 256 callers 4 KiB parts took 2.26 µs of CPU per call (client and server) against 1.97 µs with 8 KiB.
    // A batch of 64 small calls still leaves whole, unless it holds requests (see MinRequestPart).
    private const int CorkedBytesLimit = 8 * 1024;

    // A client's corked frames (the requests of the callers a batch resumed) also leave once they are at least as
    // many as the calls whose requests went out before them, and at least this many: the client never holds back
    // more work than the server has in hand, so the server starts on one part while the client prepares the next,
    // and the two ends work at once instead of taking turns. Without it a round of 64 small calls left whole and
    // each end waited for all of the other's (load test, 64 callers on one connection, alternated builds: median
    // 0.70x raw's calls/s against 0.56x over eleven and fourteen runs, with a third of the context switches per call).
    private const int MinRequestPart = 8;

    // Frames deferred by a stream pump are sent once this much is queued: stream items are small and come fast, so
    // they are worth gathering into larger sends.
    private const int DeferredBytesLimit = 32 * 1024;

    // A thread that sends for others hands the role to the thread pool after this many rounds, so that one caller
    // is not kept sending for a busy connection indefinitely.
    private const int MaxRoundsPerTurn = 8;

    /// <summary>Frames up to this size (header included) are copied into the queue's chunks rather than queued by reference.</summary>
    public const int CopiedFrameLimit = RpcBufferPool.SmallSize;

    // The size of the arrays small frames are gathered in: a round of the frame sender fits a few.
    private const int ChunkSize = 16 * 1024;

    // The sender this thread is corking, if any (one per thread; a nested cork restores the outer one).
    [ThreadStatic]
    private static RpcFrameSender? t_corked;

    private readonly RpcSpinLock _lock = new();
    private readonly PipeWriter _output;

    /// <summary>Which end the connection is, for the bytes-sent metric.</summary>
    public Diagnostics.RpcConnectionSide Side;
    private readonly Action _onFlushed;
    private readonly TaskCompletionSource<Exception?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<RpcOutgoingFrame> _queued = new();
    private List<RpcOutgoingFrame> _writing = new();
    private int _queuedBytes;
    private int _queuedFrames;

    // The client's count of calls awaiting a response, read under the lock; null on a server (see MinRequestPart).
    private Func<int>? _callsInFlight;

    // The chunk at the end of the queue that small frames are copied into, and how much of it is filled.
    private byte[]? _tailChunk;
    private int _tailChunkLength;
    private bool _sending;
    private bool _closed;
    private bool _aborted;
    private long _rounds;
    private long _roundsAtLastCheck;
    private ConfiguredValueTaskAwaitable<FlushResult>.ConfiguredValueTaskAwaiter _pendingFlush;

    // The connection's reading, paused while too much is queued behind the send in progress (TryPauseReader): the
    // round that takes the queue, or the sender's end, starts it again.
    private Action? _pausedReader;

    public RpcFrameSender(PipeWriter output)
    {
        _output = output;
        _onFlushed = OnFlushed;
    }

    /// <summary>
    /// Completes once the sender has stopped for good: with null after a graceful close sent everything queued,
    /// or with why it stopped early (an abort, a failed write).
    /// </summary>
    public Task<Exception?> Completion => _completion.Task;

    /// <summary>
    /// Queues a frame and, unless somebody is sending already, this thread holds a cork or the frame is deferred
    /// (<paramref name="deferSend"/>: the caller owes a <see cref="Flush"/>), sends it now. False (and the frame
    /// released) once the sender is closed. Must not be called under a lock that closing takes.
    /// </summary>
    public bool TryEnqueue(in RpcOutgoingFrame frame, bool deferSend = false)
    {
        if (!TryEnqueue(frame, deferSend, out bool mustSend))
        {
            return false;
        }
        if (mustSend)
        {
            Send();
        }
        return true;
    }

    /// <summary>
    /// Queues a frame without sending it. When <paramref name="mustSend"/> comes back true the caller holds the
    /// sender role and must call <see cref="Send"/> (outside any lock it holds).
    /// </summary>
    public bool TryEnqueue(in RpcOutgoingFrame frame, bool deferSend, out bool mustSend)
    {
        using (_lock.EnterScope())
        {
            return TryEnqueueLocked(frame, deferSend, out mustSend);
        }
    }

    /// <summary>Bytes queued and not yet taken by a round; a racy read, for a first look.</summary>
    public int QueuedBytes => Volatile.Read(ref _queuedBytes);

    /// <summary>True while a reader is paused (see <see cref="TryPauseReader"/>).</summary>
    public bool HasPausedReader => Volatile.Read(ref _pausedReader) is not null;

    /// <summary>
    /// Pauses the connection's reading while more than <paramref name="limit"/> bytes wait behind a send in
    /// progress: true when paused, and then <paramref name="resume"/> runs once, when that send's round is done and
    /// the next takes the queue, or when the sender stops. False (read on) when the queue is under the limit, or
    /// nobody is sending (the queue leaves with the next flush), or the sender is closed.
    /// </summary>
    public bool TryPauseReader(int limit, Action resume)
    {
        using (_lock.EnterScope())
        {
            if (!_sending || _closed || _queuedBytes <= limit)
            {
                return false;
            }
            _pausedReader = resume;
            return true;
        }
    }

    /// <summary>
    /// The sender's lock. A connection guards its own tables with it too, so that starting or finishing a call and
    /// queueing its frame take one lock, not two (see <see cref="TryEnqueueLocked(in RpcOutgoingFrame, bool, out bool)"/>).
    /// </summary>
    public RpcSpinLock SyncRoot => _lock;

    /// <summary>
    /// Lets corked frames leave in parts (see <see cref="MinRequestPart"/>): <paramref name="callsInFlight"/> counts
    /// the calls awaiting a response, including those whose requests are queued, and is read under <see cref="SyncRoot"/>.
    /// </summary>
    public void SendRequestsInParts(Func<int> callsInFlight) => _callsInFlight = callsInFlight;

    /// <summary><see cref="TryEnqueue(in RpcOutgoingFrame, bool, out bool)"/> for a caller that holds <see cref="SyncRoot"/>.</summary>
    public bool TryEnqueueLocked(in RpcOutgoingFrame frame, bool deferSend, out bool mustSend)
    {
        if (frame.Length <= CopiedFrameLimit)
        {
            // Its array goes back to the pool on the thread that rented it, while it is still warm in its cache.
            bool queued = TryEnqueueCopyLocked(frame.Span, deferSend, out mustSend);
            frame.Release();
            return queued;
        }
        mustSend = false;
        if (_closed)
        {
            frame.Release();
            return false;
        }
        _queued.Add(frame);
        // The chunk is no longer last: a frame copied after this one starts a new chunk, so the order holds.
        _tailChunk = null;
        return OnQueued(frame.Length, deferSend, out mustSend);
    }

    /// <summary>
    /// Queues the sealed frame in <paramref name="frame"/> and leaves the buffer empty: a small frame is copied (the
    /// buffer keeps its array for the next one), a large one is handed over. For a caller that holds <see cref="SyncRoot"/>.
    /// </summary>
    /// <summary>
    /// Queues a sealed frame and leaves <paramref name="frame"/> holding it (a copy is queued, the large ones into
    /// an array of their own), so that the caller can send it again: a call that may be retried.
    /// </summary>
    public bool TryEnqueueKeepingLocked(RpcFrameBuffer frame, bool deferSend, out bool mustSend)
    {
        ReadOnlySpan<byte> sealedFrame = frame.SealedFrame;
        if (sealedFrame.Length <= CopiedFrameLimit)
        {
            return TryEnqueueCopyLocked(sealedFrame, deferSend, out mustSend);
        }
        byte[] copy = RpcBufferPool.Rent(sealedFrame.Length);
        sealedFrame.CopyTo(copy);
        return TryEnqueueLocked(new RpcOutgoingFrame(copy, sealedFrame.Length), deferSend, out mustSend);
    }

    public bool TryEnqueueLocked(RpcFrameBuffer frame, bool deferSend, out bool mustSend)
    {
        if (frame.SealedFrame.Length > CopiedFrameLimit)
        {
            return TryEnqueueLocked(frame.DetachSealed(), deferSend, out mustSend);
        }
        bool queued = TryEnqueueCopyLocked(frame.SealedFrame, deferSend, out mustSend);
        frame.Reset();
        return queued;
    }

    /// <summary>
    /// Queues a copy of a small frame (at most <see cref="CopiedFrameLimit"/> bytes, header included): the caller
    /// keeps its buffer. Small frames are gathered into chunks, so a round of many frames is a few writes into the
    /// output, and no frame needs an array of its own. For a caller that holds <see cref="SyncRoot"/>.
    /// </summary>
    public bool TryEnqueueCopyLocked(ReadOnlySpan<byte> frame, bool deferSend, out bool mustSend)
    {
        Debug.Assert(_lock.IsHeld);
        mustSend = false;
        if (_closed)
        {
            return false;
        }
        byte[]? chunk = _tailChunk;
        if (chunk is null || chunk.Length - _tailChunkLength < frame.Length)
        {
            chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
            _tailChunk = chunk;
            _tailChunkLength = 0;
            _queued.Add(default);
        }
        frame.CopyTo(chunk.AsSpan(_tailChunkLength));
        _tailChunkLength += frame.Length;
        CollectionsMarshal.AsSpan(_queued)[^1] = new RpcOutgoingFrame(chunk, _tailChunkLength);
        return OnQueued(frame.Length, deferSend, out mustSend);
    }

    private bool OnQueued(int length, bool deferSend, out bool mustSend)
    {
        _queuedBytes += length;
        _queuedFrames++;
        mustSend = !_sending && (deferSend
            ? _queuedBytes >= DeferredBytesLimit
            : t_corked != this || _queuedBytes >= CorkedBytesLimit || IsRequestPartDue());
        if (mustSend)
        {
            _sending = true;
        }
        return true;
    }

    // Held back: at least as many frames as the calls whose requests are already out (and no fewer than the minimum).
    private bool IsRequestPartDue()
        => _queuedFrames >= MinRequestPart && _callsInFlight is { } callsInFlight && _queuedFrames * 2 >= callsInFlight();

    /// <summary>Sends what is queued, unless somebody is sending already (they will send it).</summary>
    public void Flush()
    {
        // A racy look first (most flushes find nothing): frames this thread queued are visible to it, and frames
        // of other threads are theirs to send.
        if (_queued.Count == 0)
        {
            return;
        }
        using (_lock.EnterScope())
        {
            if (_sending || _queued.Count == 0)
            {
                return;
            }
            _sending = true;
        }
        Send();
    }

    /// <summary>Holds this thread's frames back until the scope ends, then sends them in one round.</summary>
    public CorkScope Cork()
    {
        RpcFrameSender? outer = t_corked;
        t_corked = this;
        return new CorkScope(this, outer);
    }

    /// <summary>Ends a cork; see <see cref="Cork"/>.</summary>
    public readonly struct CorkScope : IDisposable
    {
        private readonly RpcFrameSender _sender;
        private readonly RpcFrameSender? _outer;

        public CorkScope(RpcFrameSender sender, RpcFrameSender? outer)
        {
            _sender = sender;
            _outer = outer;
        }

        public void Dispose()
        {
            t_corked = _outer;
            _sender.Flush();
        }
    }

    /// <summary>The watchdog's check: sends frames that have waited since the last check with nobody sending.</summary>
    public void FlushIfStalled()
    {
        using (_lock.EnterScope())
        {
            bool stalled = !_sending && _queued.Count > 0 && _rounds == _roundsAtLastCheck;
            _roundsAtLastCheck = _rounds;
            if (!stalled)
            {
                return;
            }
            _sending = true;
        }
        Send();
    }

    /// <summary>Accepts no more frames; what is queued is still sent, then <see cref="Completion"/> completes.</summary>
    public void Close()
    {
        bool send = false;
        using (_lock.EnterScope())
        {
            if (_closed)
            {
                return;
            }
            _closed = true;
            if (_sending)
            {
                // The sender finishes the queue and then completes.
                return;
            }
            if (_queued.Count > 0)
            {
                _sending = true;
                send = true;
            }
        }
        if (send)
        {
            Send();
        }
        else
        {
            Finish(null);
        }
    }

    /// <summary>Drops what is queued and stops; a flush in progress is ended by the caller cancelling it.</summary>
    public void Abort(Exception reason)
    {
        bool idle;
        using (_lock.EnterScope())
        {
            _closed = true;
            _aborted = true;
            idle = !_sending;
            ReleaseQueued();
        }
        if (idle)
        {
            Finish(reason);
        }
    }

    void IThreadPoolWorkItem.Execute() => Send();

    /// <summary>Sends rounds until nothing is queued. Only for the holder of the sender role (see <see cref="TryEnqueue(in RpcOutgoingFrame, bool, out bool)"/>).</summary>
    public void Send()
    {
        int rounds = 0;
        while (true)
        {
            List<RpcOutgoingFrame> round;
            Action? resume;
            using (_lock.EnterScope())
            {
                if (_aborted || _queued.Count == 0)
                {
                    _sending = false;
                    if (_closed)
                    {
                        ReleaseQueued();
                        break;
                    }
                    return;
                }
                if (++rounds > MaxRoundsPerTurn)
                {
                    ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                    return;
                }
                round = _queued;
                _queued = _writing;
                _writing = round;
                _queuedBytes = 0;
                _queuedFrames = 0;
                _tailChunk = null;
                _rounds++;
                resume = TakePausedReaderLocked();
            }
            // The send before this round completed: the peer is taking what we send, so reading can go on.
            resume?.Invoke();

            ValueTask<FlushResult> flush;
            try
            {
                long written = 0;
                foreach (RpcOutgoingFrame frame in round)
                {
                    _output.Write(frame.Span);
                    written += frame.Span.Length;
                }
                Diagnostics.RpcTelemetry.OnBytesSent(Side, written);
                flush = _output.FlushAsync();
            }
            catch (Exception ex)
            {
                Stop(ex);
                return;
            }
            finally
            {
                ReleaseAll(round);
            }

            _pendingFlush = flush.ConfigureAwait(false).GetAwaiter();
            if (!_pendingFlush.IsCompleted)
            {
                _pendingFlush.UnsafeOnCompleted(_onFlushed);
                return;
            }
            if (!EndFlush())
            {
                return;
            }
        }
        Finish(null);
    }

    private void OnFlushed()
    {
        if (EndFlush())
        {
            Send();
        }
    }

    /// <summary>Takes the result of the flush just finished. False (and the sender stopped) when it failed.</summary>
    private bool EndFlush()
    {
        FlushResult result;
        try
        {
            result = _pendingFlush.GetResult();
        }
        catch (Exception ex)
        {
            Stop(ex);
            return false;
        }
        finally
        {
            _pendingFlush = default;
        }
        if (result.IsCanceled || result.IsCompleted)
        {
            Stop(new RpcException(RpcStatusCode.Unavailable, "The connection was closed by the peer."));
            return false;
        }
        return true;
    }

    private void Stop(Exception failure)
    {
        using (_lock.EnterScope())
        {
            _closed = true;
            _sending = false;
            ReleaseQueued();
        }
        Finish(failure is RpcException ? failure : new RpcException(RpcStatusCode.Unavailable, "The connection failed: " + failure.Message, failure));
    }

    private void Finish(Exception? failure)
    {
        // A paused reader reads on and finds the connection closing (its read is cancelled or ends).
        Action? resume;
        using (_lock.EnterScope())
        {
            resume = TakePausedReaderLocked();
        }
        resume?.Invoke();
        _completion.TrySetResult(_aborted ? failure ?? new RpcException(RpcStatusCode.Unavailable, "The connection was closed.") : failure);
    }

    // The reader paused by TryPauseReader, if any, for its resumer to start (once); under the lock.
    private Action? TakePausedReaderLocked()
    {
        Action? reader = _pausedReader;
        _pausedReader = null;
        return reader;
    }

    private void ReleaseQueued()
    {
        ReleaseAll(_queued);
        _queuedBytes = 0;
        _queuedFrames = 0;
        _tailChunk = null;
    }

    private static void ReleaseAll(List<RpcOutgoingFrame> frames)
    {
        foreach (RpcOutgoingFrame frame in frames)
        {
            frame.Release();
        }
        frames.Clear();
    }
}
