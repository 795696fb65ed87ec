using System;
using System.Buffers;

namespace Rpc.Protocol;

/// <summary>What <see cref="RpcFrameReader"/> hands each frame to; a struct, so the reader's loop is specialized for it.</summary>
internal interface IRpcFrameSink
{
    /// <summary>Handles one whole frame. False when reading must stop.</summary>
    bool OnFrame(in RpcFrameHeader header, ReadOnlySpan<byte> payload);

    /// <summary>The peer announced a frame over the size limit; reading stops after this.</summary>
    void OnFrameTooLarge(in RpcFrameHeader header);
}

/// <summary>
/// The one frame-parse path of a connection: splits every whole frame off the bytes read so far and hands it to a
/// sink as one span. The size rules are <see cref="RpcFrameParser"/>'s; this type adds the ways a payload reaches
/// the sink: straight from the first segment (the common case, with one slice of the sequence per read), gathered
/// into a pooled array when it crosses segments, or assembled across reads when it is large.
/// </summary>
/// <remarks>Used by the read loop only, one read at a time; <see cref="Release"/> returns what it holds.</remarks>
internal sealed class RpcFrameReader
{
    /// <summary>
    /// A frame whose payload is still arriving is left in the pipe while it is shorter than this; a longer one is
    /// copied out as it arrives, so that a pipe's back-pressure threshold never waits on a frame not yet consumed.
    /// </summary>
    internal const int LargeFrameThreshold = 32 * 1024;

    private readonly int _maxFrameSize;
    private byte[]? _largeFrame;
    private int _largeFilled;
    private RpcFrameHeader _largeHeader;

    public RpcFrameReader(int maxFrameSize) => _maxFrameSize = maxFrameSize;

    /// <summary>
    /// Hands every whole frame in <paramref name="buffer"/> to <paramref name="sink"/> and moves the buffer past
    /// what it consumed. True when reading must stop (the sink said so, or a frame was too large).
    /// </summary>
    public bool Read<TSink>(ref ReadOnlySequence<byte> buffer, ref TSink sink) where TSink : struct, IRpcFrameSink
    {
        while (true)
        {
            if (_largeFrame is not null)
            {
                if (!TryCompleteLargeFrame(ref buffer, ref sink, out bool stop) || stop)
                {
                    return stop;
                }
                continue;
            }

            // Every whole frame inside the first segment, read from its span; the sequence is sliced once.
            ReadOnlySpan<byte> span = buffer.FirstSpan;
            int consumed = 0;
            RpcFrameParseStatus status;
            RpcFrameHeader header;
            while ((status = RpcFrameParser.TryParse(span.Slice(consumed), _maxFrameSize, out header)) == RpcFrameParseStatus.Frame)
            {
                ReadOnlySpan<byte> payload = span.Slice(consumed + RpcFrameHeader.Size, (int)header.PayloadLength);
                consumed += RpcFrameHeader.Size + (int)header.PayloadLength;
                if (!sink.OnFrame(header, payload))
                {
                    buffer = buffer.Slice(consumed);
                    return true;
                }
            }
            if (consumed > 0)
            {
                buffer = buffer.Slice(consumed);
            }
            if (status == RpcFrameParseStatus.TooLarge)
            {
                sink.OnFrameTooLarge(header);
                return true;
            }

            // The next frame is not whole in the first segment: it may be whole across segments, or still arriving.
            switch (RpcFrameParser.TryParse(ref buffer, _maxFrameSize, out header, out ReadOnlySequence<byte> sequence))
            {
                case RpcFrameParseStatus.NeedHeader:
                    return false;
                case RpcFrameParseStatus.NeedPayload:
                    if (header.PayloadLength < LargeFrameThreshold)
                    {
                        return false;
                    }
                    _largeHeader = header;
                    // Sized by what has arrived, not by what the header announces: a peer that announces a frame
                    // of the size limit and sends nothing more costs no more memory than it sent.
                    _largeFrame = RpcBufferPool.Rent((int)Math.Min(header.PayloadLength, LargeFrameThreshold * 2L));
                    _largeFilled = 0;
                    buffer = buffer.Slice(RpcFrameHeader.Size);
                    continue;
                case RpcFrameParseStatus.TooLarge:
                    sink.OnFrameTooLarge(header);
                    return true;
                default:
                    if (!OnGatheredFrame(header, sequence, ref sink))
                    {
                        return true;
                    }
                    continue;
            }
        }
    }

    /// <summary>Returns the buffer of a large frame that was still arriving when reading ended.</summary>
    public void Release()
    {
        byte[]? large = _largeFrame;
        _largeFrame = null;
        if (large is not null)
        {
            RpcBufferPool.Return(large);
        }
    }

    // Copies what arrived of the large frame; false while it is incomplete. Once whole, it goes to the sink.
    private bool TryCompleteLargeFrame<TSink>(ref ReadOnlySequence<byte> buffer, ref TSink sink, out bool stop) where TSink : struct, IRpcFrameSink
    {
        stop = false;
        int length = (int)_largeHeader.PayloadLength;
        int take = (int)Math.Min(length - _largeFilled, buffer.Length);
        EnsureLargeFrameCapacity(_largeFilled + take, length);
        buffer.Slice(0, take).CopyTo(_largeFrame.AsSpan(_largeFilled));
        buffer = buffer.Slice(take);
        _largeFilled += take;
        if (_largeFilled < length)
        {
            return false;
        }
        byte[] frame = _largeFrame!;
        _largeFrame = null;
        try
        {
            stop = !sink.OnFrame(_largeHeader, frame.AsSpan(0, length));
        }
        finally
        {
            RpcBufferPool.Return(frame);
        }
        return true;
    }

    // Grows the large frame's buffer to hold `needed` bytes, at least doubling, never past the frame's length.
    private void EnsureLargeFrameCapacity(int needed, int length)
    {
        byte[] current = _largeFrame!;
        if (needed <= current.Length)
        {
            return;
        }
        byte[] larger = RpcBufferPool.Rent((int)Math.Min(length, Math.Max(needed, current.Length * 2L)));
        current.AsSpan(0, _largeFilled).CopyTo(larger);
        _largeFrame = larger;
        RpcBufferPool.Return(current);
    }

    // Sinks read one span: a payload split across segments is gathered into a pooled array.
    private static bool OnGatheredFrame<TSink>(in RpcFrameHeader header, in ReadOnlySequence<byte> payload, ref TSink sink) where TSink : struct, IRpcFrameSink
    {
        if (payload.IsSingleSegment)
        {
            return sink.OnFrame(header, payload.FirstSpan);
        }
        int length = (int)payload.Length;
        byte[] rented = RpcBufferPool.Rent(length);
        try
        {
            payload.CopyTo(rented);
            return sink.OnFrame(header, rented.AsSpan(0, length));
        }
        finally
        {
            RpcBufferPool.Return(rented);
        }
    }
}
