using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using Rpc.Protocol;

namespace Rpc.Fuzzing.Targets;

/// <summary>
/// <see cref="RpcFrameParser"/> on a byte stream cut into segments: it documents no exception at all, so nothing is
/// caught. Every status is checked against the bytes: a frame's header must be the 16 bytes where it stood, its
/// payload the bytes after them, and nothing may be consumed except whole frames. Then the connection's
/// <see cref="RpcFrameReader"/> reads the same stream arriving in reads of the segment size, and must hand over
/// exactly the frames the parser found, in order, and stop at a frame over the limit.
/// Input: one control byte (size limit, segment size), then the stream.
/// </summary>
public sealed class FrameParserTarget : IFuzzTarget
{
    public string Name => "frame-parser";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }
        byte control = input[0];
        ReadOnlySpan<byte> stream = input.Slice(1);
        int maxFrameSize = (control & 0x3) switch
        {
            0 => 0,
            1 => 64,
            2 => 4096,
            _ => int.MaxValue,
        };
        int segmentSize = (control >> 2) + 1;
        ReadOnlySequence<byte> buffer = SegmentedBytes.Split(stream, segmentSize);

        var frames = new List<(RpcFrameHeader Header, byte[] Payload)>();
        int offset = 0;
        while (true)
        {
            long before = buffer.Length;
            RpcFrameParseStatus status = RpcFrameParser.TryParse(ref buffer, maxFrameSize, out RpcFrameHeader header, out ReadOnlySequence<byte> payload);
            switch (status)
            {
                case RpcFrameParseStatus.NeedHeader:
                    Check(before < RpcFrameHeader.Size && buffer.Length == before, "NeedHeader with a whole header buffered, or bytes consumed");
                    CheckReader(stream, segmentSize, maxFrameSize, frames, tooLarge: null);
                    return;
                case RpcFrameParseStatus.NeedPayload:
                    CheckHeader(header, stream.Slice(offset));
                    Check(header.PayloadLength <= (uint)maxFrameSize, "NeedPayload for a frame over the limit");
                    Check(before < RpcFrameHeader.Size + (long)header.PayloadLength && buffer.Length == before, "NeedPayload with the payload buffered, or bytes consumed");
                    CheckReader(stream, segmentSize, maxFrameSize, frames, tooLarge: null);
                    return;
                case RpcFrameParseStatus.TooLarge:
                    CheckHeader(header, stream.Slice(offset));
                    Check(header.PayloadLength > (uint)maxFrameSize && buffer.Length == before, "TooLarge for a frame within the limit, or bytes consumed");
                    CheckReader(stream, segmentSize, maxFrameSize, frames, tooLarge: header);
                    return;
                case RpcFrameParseStatus.Frame:
                    CheckHeader(header, stream.Slice(offset));
                    int frameLength = RpcFrameHeader.Size + (int)header.PayloadLength;
                    Check(payload.Length == header.PayloadLength, "a payload of another length than its header says");
                    Check(buffer.Length == before - frameLength, "a frame that consumed other than its own bytes");
                    Check(payload.ToArray().AsSpan().SequenceEqual(stream.Slice(offset + RpcFrameHeader.Size, (int)header.PayloadLength)), "a payload that is not the bytes after its header");
                    frames.Add((header, payload.ToArray()));
                    offset += frameLength;
                    break;
                default:
                    throw new FuzzInvariantException($"An unknown parse status {status}.");
            }
        }
    }

    // Feeds the stream to a reader as a connection's reads would bring it: each read adds one segment's worth to
    // what the reader left, and the reader's unconsumed bytes are offered again with the next read.
    private static void CheckReader(ReadOnlySpan<byte> stream, int segmentSize, int maxFrameSize, List<(RpcFrameHeader Header, byte[] Payload)> expected, RpcFrameHeader? tooLarge)
    {
        var reader = new RpcFrameReader(maxFrameSize);
        var sink = new CollectingSink { Frames = new List<(RpcFrameHeader, byte[])>() };
        int consumed = 0;
        int arrived = 0;
        bool stopped = false;
        try
        {
            while (arrived < stream.Length && !stopped)
            {
                arrived = Math.Min(stream.Length, arrived + segmentSize);
                ReadOnlySequence<byte> buffer = SegmentedBytes.Split(stream.Slice(consumed, arrived - consumed), segmentSize);
                long before = buffer.Length;
                stopped = reader.Read(ref buffer, ref sink);
                consumed += (int)(before - buffer.Length);
            }
        }
        finally
        {
            reader.Release();
        }
        Check(sink.Frames.Count == expected.Count, $"the reader handed over {sink.Frames.Count} frames where the parser found {expected.Count}");
        for (int i = 0; i < expected.Count; i++)
        {
            (RpcFrameHeader header, byte[] payload) = sink.Frames[i];
            Check(header.PayloadLength == expected[i].Header.PayloadLength && header.CallId == expected[i].Header.CallId
                && header.Type == expected[i].Header.Type && payload.AsSpan().SequenceEqual(expected[i].Payload), $"the reader's frame {i} differs from the parser's");
        }
        Check(stopped == tooLarge.HasValue, tooLarge.HasValue ? "the reader went on past a frame over the limit" : "the reader stopped without a frame over the limit");
        Check(sink.TooLarge?.PayloadLength == tooLarge?.PayloadLength, "the reader reported another frame as too large");
    }

    private struct CollectingSink : IRpcFrameSink
    {
        public List<(RpcFrameHeader, byte[])> Frames;
        public RpcFrameHeader? TooLarge;

        public readonly bool OnFrame(in RpcFrameHeader header, ReadOnlySpan<byte> payload)
        {
            Frames.Add((header, payload.ToArray()));
            return true;
        }

        public void OnFrameTooLarge(in RpcFrameHeader header) => TooLarge = header;
    }

    private static void CheckHeader(in RpcFrameHeader header, ReadOnlySpan<byte> at)
    {
        Check(header.PayloadLength == BinaryPrimitives.ReadUInt32LittleEndian(at)
            && (byte)header.Type == at[4]
            && (byte)header.Flags == at[5]
            && header.CallId == BinaryPrimitives.ReadUInt32LittleEndian(at.Slice(8))
            && header.MethodId == BinaryPrimitives.ReadUInt32LittleEndian(at.Slice(12)), "a header that is not the bytes where it stood");

        // Written back, the header reads the same (the reserved field is written as zero and ignored on reading).
        Span<byte> copy = stackalloc byte[RpcFrameHeader.Size];
        header.Write(copy);
        RpcFrameHeader again = RpcFrameHeader.Read(copy);
        Check(again.PayloadLength == header.PayloadLength && again.Type == header.Type && again.Flags == header.Flags
            && again.CallId == header.CallId && again.MethodId == header.MethodId, "a header that does not read back as written");
    }

    private static void Check(bool condition, string broken)
    {
        if (!condition)
        {
            throw new FuzzInvariantException("Frame parser: " + broken + ".");
        }
    }
}
