using System;
using System.Buffers;

namespace Rpc.Fuzzing.Targets;

/// <summary>
/// Cuts bytes into a chain of segments of one size, as a socket's reads arrive: parsers that take a
/// <see cref="ReadOnlySequence{T}"/> must give the same answer however the bytes are split.
/// </summary>
internal static class SegmentedBytes
{
    public static ReadOnlySequence<byte> Split(ReadOnlySpan<byte> bytes, int segmentSize)
    {
        if (bytes.Length <= segmentSize)
        {
            return new ReadOnlySequence<byte>(bytes.ToArray());
        }
        var first = new Segment(bytes.Slice(0, segmentSize).ToArray(), 0);
        Segment last = first;
        for (int offset = segmentSize; offset < bytes.Length; offset += segmentSize)
        {
            int length = Math.Min(segmentSize, bytes.Length - offset);
            last = last.Append(bytes.Slice(offset, length).ToArray());
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes, long runningIndex)
        {
            Memory = bytes;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
