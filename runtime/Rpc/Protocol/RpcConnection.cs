using System;
using System.Buffers;
using System.IO.Pipelines;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Rpc.Serialization;

namespace Rpc.Protocol;

/// <summary>
/// One connection's frame plumbing, shared by client and server: a read loop that splits frames off the input
/// and hands each to <see cref="OnFrame"/>, and a single writer loop that drains a queue of finished frames into
/// the output and flushes once per batch. It knows frames, not calls, and not what the pipe runs over.
/// </summary>
internal abstract class RpcConnection
{
    // A frame whose payload is still arriving is left in the pipe while it is small; a large one is copied out as
    // it arrives, so that an in-memory pipe's back-pressure threshold never waits on a frame we have not consumed.
    private const int LargeFrameThreshold = 32 * 1024;

    // Flush at least this often while the queue keeps refilling, so one busy connection still makes progress.
    private const int MaxBatchBytes = 256 * 1024;

    private readonly IDuplexPipe _pipe;
    private readonly IAsyncDisposable _transport;
    private readonly Channel<RpcOutgoingFrame> _outgoing;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _pipeLock = new();
    private bool _pipesReleased;
    private int _closing;
    private volatile bool _aborted;

    private byte[]? _largeFrame;
    private int _largeFilled;
    private RpcFrameHeader _largeHeader;

    protected RpcConnection(IDuplexPipe pipe, IAsyncDisposable transport, int maxFrameSize, RpcSerializerOptions serializerOptions)
    {
        _pipe = pipe;
        _transport = transport;
        MaxFrameSize = maxFrameSize;
        SerializerOptions = serializerOptions;
        _outgoing = Channel.CreateUnbounded<RpcOutgoingFrame>(new UnboundedChannelOptions
        {
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
    }

    /// <summary>The largest payload accepted from the peer, and sent to it.</summary>
    public int MaxFrameSize { get; }

    /// <summary>The options control payloads are written with.</summary>
    public RpcSerializerOptions SerializerOptions { get; }

    /// <summary>Flow-control high-water marks of this connection's streams.</summary>
    public RpcFlowStatistics FlowStatistics { get; } = new();

    /// <summary>Completes when both loops have stopped and the transport is closed.</summary>
    public Task Completion => _completion.Task;

    /// <summary>True once a close has begun; no new work should start.</summary>
    public bool IsClosing => Volatile.Read(ref _closing) != 0;

    /// <summary>Starts the read and write loops. Call once, after the prefaces were exchanged.</summary>
    public void Start() => _ = RunAsync();

    /// <summary>Queues a finished frame for the writer. False (and the frame released) once the connection is closing.</summary>
    public bool TryEnqueue(in RpcOutgoingFrame frame)
    {
        if (_outgoing.Writer.TryWrite(frame))
        {
            return true;
        }
        frame.Release();
        return false;
    }

    /// <summary>Closes gracefully: frames already queued go out, then reading stops and the transport closes.</summary>
    public void CloseAfterWrites(RpcException reason)
    {
        BeginClose(reason);
        if (_outgoing.Writer.TryComplete())
        {
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
        _aborted = true;
        _outgoing.Writer.TryComplete();
        CancelPendingIo();
    }

    /// <summary>Sends a GoAway and closes gracefully: how a protocol violation or an oversized frame ends.</summary>
    protected void CloseWithGoAway(RpcStatusCode status, string message)
    {
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
        Task reading = ReadLoopAsync();
        Task writing = WriteLoopAsync();
        await reading.ConfigureAwait(false);
        await writing.ConfigureAwait(false);
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
        _completion.TrySetResult();
    }

    private async Task ReadLoopAsync()
    {
        await Task.Yield();
        PipeReader input = _pipe.Input;
        RpcException reason = new(RpcStatusCode.Unavailable, "The connection was closed by the peer.");
        try
        {
            while (true)
            {
                ReadResult result = await input.ReadAsync().ConfigureAwait(false);
                if (result.IsCanceled)
                {
                    break;
                }
                ReadOnlySequence<byte> buffer = result.Buffer;
                bool stop;
                try
                {
                    stop = ProcessFrames(ref buffer);
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }
                if (stop || result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception ex)
        {
            reason = new RpcException(RpcStatusCode.Unavailable, "The connection failed: " + ex.Message, ex);
        }
        finally
        {
            byte[]? large = _largeFrame;
            _largeFrame = null;
            if (large is not null)
            {
                ArrayPool<byte>.Shared.Return(large);
            }
        }

        // During a graceful close the writer finishes its queue and then ends everything; otherwise the peer is
        // gone or broken, and everything ends now.
        if (!IsClosing)
        {
            Abort(reason);
        }
    }

    /// <summary>Handles every complete frame in <paramref name="buffer"/>. True when the connection must stop reading.</summary>
    private bool ProcessFrames(ref ReadOnlySequence<byte> buffer)
    {
        while (true)
        {
            if (_largeFrame is not null)
            {
                int length = (int)_largeHeader.PayloadLength;
                int take = (int)Math.Min(length - _largeFilled, buffer.Length);
                buffer.Slice(0, take).CopyTo(_largeFrame.AsSpan(_largeFilled));
                buffer = buffer.Slice(take);
                _largeFilled += take;
                if (_largeFilled < length)
                {
                    return false;
                }
                byte[] frame = _largeFrame;
                _largeFrame = null;
                try
                {
                    if (!Dispatch(_largeHeader, frame.AsSpan(0, length)))
                    {
                        return true;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(frame);
                }
                continue;
            }

            switch (RpcFrameParser.TryParse(ref buffer, MaxFrameSize, out RpcFrameHeader header, out ReadOnlySequence<byte> payload))
            {
                case RpcFrameParseStatus.NeedHeader:
                    return false;
                case RpcFrameParseStatus.NeedPayload:
                    if (header.PayloadLength < LargeFrameThreshold)
                    {
                        return false;
                    }
                    _largeHeader = header;
                    _largeFrame = ArrayPool<byte>.Shared.Rent((int)header.PayloadLength);
                    _largeFilled = 0;
                    buffer = buffer.Slice(RpcFrameHeader.Size);
                    continue;
                case RpcFrameParseStatus.TooLarge:
                    OnFrameTooLarge(header);
                    return true;
                default:
                    if (!DispatchSequence(header, payload))
                    {
                        return true;
                    }
                    continue;
            }
        }
    }

    private bool DispatchSequence(in RpcFrameHeader header, in ReadOnlySequence<byte> payload)
    {
        if (payload.IsSingleSegment)
        {
            return Dispatch(header, payload.FirstSpan);
        }
        // Readers need one span: a payload split across segments is gathered into a pooled array.
        int length = (int)payload.Length;
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            payload.CopyTo(rented);
            return Dispatch(header, rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
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

    private async Task WriteLoopAsync()
    {
        await Task.Yield();
        ChannelReader<RpcOutgoingFrame> reader = _outgoing.Reader;
        PipeWriter output = _pipe.Output;
        RpcException? failure = null;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                if (_aborted)
                {
                    break;
                }
                int batched = 0;
                while (batched < MaxBatchBytes && reader.TryRead(out RpcOutgoingFrame frame))
                {
                    try
                    {
                        output.Write(frame.Span);
                    }
                    finally
                    {
                        frame.Release();
                    }
                    batched += frame.Length;
                }
                FlushResult flush = await output.FlushAsync().ConfigureAwait(false);
                if (flush.IsCanceled || flush.IsCompleted)
                {
                    failure = new RpcException(RpcStatusCode.Unavailable, "The connection was closed by the peer.");
                    break;
                }
            }
        }
        catch (Exception ex)
        {
            failure = new RpcException(RpcStatusCode.Unavailable, "The connection failed: " + ex.Message, ex);
        }
        finally
        {
            _outgoing.Writer.TryComplete();
            while (reader.TryRead(out RpcOutgoingFrame frame))
            {
                frame.Release();
            }
        }

        // Nothing more can be written, so nothing more is worth reading: a graceful close ends here too.
        Abort(failure ?? new RpcException(RpcStatusCode.Unavailable, "The connection was closed."));
    }
}
