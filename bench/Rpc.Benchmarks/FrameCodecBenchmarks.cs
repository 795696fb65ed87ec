using System.Buffers;
using BenchmarkDotNet.Attributes;
using Rpc.Protocol;

namespace Rpc.Benchmarks;

/// <summary>
/// The 16-byte frame header of runtime/Rpc/Protocol: writing one, and splitting a frame (header and a 48-byte
/// payload, the size of the load test's reply) off a read buffer, whole or with the header split across segments.
/// </summary>
[MemoryDiagnoser]
public class FrameCodecBenchmarks
{
    private const int PayloadLength = 48;

    private readonly byte[] _header = new byte[RpcFrameHeader.Size];
    private ReadOnlySequence<byte> _contiguous;
    private ReadOnlySequence<byte> _split;

    [GlobalSetup]
    public void Setup()
    {
        byte[] frame = new byte[RpcFrameHeader.Size + PayloadLength];
        new RpcFrameHeader(PayloadLength, RpcFrameType.Response, RpcFrameFlags.None, 12345, 0x4AEEB71B).Write(frame);
        _contiguous = new ReadOnlySequence<byte>(frame);
        _split = Segment.Split(frame, 7);
    }

    [Benchmark(Description = "write header")]
    public uint WriteHeader()
    {
        new RpcFrameHeader(PayloadLength, RpcFrameType.Request, RpcFrameFlags.None, 12345, 0x4AEEB71B).Write(_header);
        return _header[8];
    }

    [Benchmark(Description = "read header")]
    public uint ReadHeader() => RpcFrameHeader.Read(_header).CallId;

    [Benchmark(Description = "parse frame, one segment")]
    public long ParseContiguous() => Parse(_contiguous);

    [Benchmark(Description = "parse frame, header split across segments")]
    public long ParseSplit() => Parse(_split);

    private static long Parse(ReadOnlySequence<byte> buffer)
    {
        RpcFrameParseStatus status = RpcFrameParser.TryParse(ref buffer, 4 * 1024 * 1024, out RpcFrameHeader header, out ReadOnlySequence<byte> payload);
        return status == RpcFrameParseStatus.Frame ? header.CallId + payload.Length : -1;
    }

    /// <summary>A read buffer made of two segments, as a pipe hands over a frame that straddles two reads.</summary>
    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        private Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public static ReadOnlySequence<byte> Split(byte[] bytes, int at)
        {
            var first = new Segment(bytes.AsMemory(0, at), 0);
            var second = new Segment(bytes.AsMemory(at), at);
            first.Next = second;
            return new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
        }
    }
}
