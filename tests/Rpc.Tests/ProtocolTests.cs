using System;
using System.Buffers;
using System.Collections.Generic;
using System.Threading.Tasks;
using Rpc.Protocol;
using Rpc.Serialization;
using Rpc.Tests.Support;
using Xunit;

namespace Rpc.Tests;

public sealed class ProtocolTests
{
    [Fact]
    public void The_preface_is_RPC_bang_then_version_1_then_zero_flags()
    {
        Assert.Equal(new byte[] { 0x52, 0x50, 0x43, 0x21, 0x01, 0x00, 0x00, 0x00 }, RawConnection.Preface());
        Assert.True(RpcPreface.IsValid(RawConnection.Preface()));
        Assert.False(RpcPreface.IsValid("RPC?\x01\0\0\0"u8));
        Assert.False(RpcPreface.IsValid(new byte[] { 0x52, 0x50, 0x43, 0x21, 0x02, 0x00, 0x00, 0x00 }));
    }

    [Fact]
    public void A_frame_header_is_16_little_endian_bytes()
    {
        var bytes = new byte[RpcFrameHeader.Size];
        new RpcFrameHeader(0x01020304, RpcFrameType.Error, RpcFrameFlags.OneWay, 0x0A0B0C0D, 0x11223344).Write(bytes);
        Assert.Equal(new byte[] { 0x04, 0x03, 0x02, 0x01, 3, 0x04, 0, 0, 0x0D, 0x0C, 0x0B, 0x0A, 0x44, 0x33, 0x22, 0x11 }, bytes);

        RpcFrameHeader read = RpcFrameHeader.Read(bytes);
        Assert.Equal(0x01020304u, read.PayloadLength);
        Assert.Equal(RpcFrameType.Error, read.Type);
        Assert.Equal(RpcFrameFlags.OneWay, read.Flags);
        Assert.Equal(0x0A0B0C0Du, read.CallId);
        Assert.Equal(0x11223344u, read.MethodId);
    }

    [Fact]
    public void The_parser_rejects_an_oversized_frame_from_its_header_alone()
    {
        var sequence = new ReadOnlySequence<byte>(RawConnection.FrameHeader(1000, (byte)RpcFrameType.Request, 7, 9));
        Assert.Equal(RpcFrameParseStatus.TooLarge, RpcFrameParser.TryParse(ref sequence, 999, out RpcFrameHeader header, out _));
        Assert.Equal(7u, header.CallId);
    }

    [Fact]
    public void The_parser_waits_for_a_whole_frame_and_then_splits_it_off()
    {
        byte[] frame = new byte[RpcFrameHeader.Size + 3 + 5];
        RawConnection.FrameHeader(3, (byte)RpcFrameType.Response, 1, 0).CopyTo(frame, 0);
        frame[16] = 1;
        frame[17] = 2;
        frame[18] = 3;

        var partial = new ReadOnlySequence<byte>(frame, 0, 10);
        Assert.Equal(RpcFrameParseStatus.NeedHeader, RpcFrameParser.TryParse(ref partial, 100, out _, out _));
        partial = new ReadOnlySequence<byte>(frame, 0, 18);
        Assert.Equal(RpcFrameParseStatus.NeedPayload, RpcFrameParser.TryParse(ref partial, 100, out _, out _));

        var whole = new ReadOnlySequence<byte>(frame);
        Assert.Equal(RpcFrameParseStatus.Frame, RpcFrameParser.TryParse(ref whole, 100, out RpcFrameHeader header, out ReadOnlySequence<byte> payload));
        Assert.Equal(RpcFrameType.Response, header.Type);
        Assert.Equal(new byte[] { 1, 2, 3 }, payload.ToArray());
        Assert.Equal(5, whole.Length);
    }

    [Fact]
    public void The_reader_hands_over_small_split_and_large_frames_whole_across_reads()
    {
        // A small frame, a frame cut across two segments of one read, then a large frame arriving over three reads.
        byte[] small = Frame(3, 1, 0x11);
        byte[] split = Frame(40, 2, 0x22);
        byte[] large = Frame(RpcFrameReader.LargeFrameThreshold + 100, 3, 0x33);
        var reader = new RpcFrameReader(1 << 20);
        var sink = new CollectingSink();

        var first = Segments(small, split.AsSpan(0, 20).ToArray(), split.AsSpan(20).ToArray(), large.AsSpan(0, 1000).ToArray());
        Assert.False(reader.Read(ref first, ref sink));
        Assert.True(first.IsEmpty, "the start of a large frame is copied out of the pipe, not left in it");
        var second = new ReadOnlySequence<byte>(large, 1000, 20_000);
        Assert.False(reader.Read(ref second, ref sink));
        Assert.Equal(new uint[] { 1, 2 }, sink.CallIds);
        var third = new ReadOnlySequence<byte>(large, 21_000, large.Length - 21_000);
        Assert.False(reader.Read(ref third, ref sink));

        Assert.Equal(new uint[] { 1, 2, 3 }, sink.CallIds);
        Assert.Equal(RpcFrameReader.LargeFrameThreshold + 100, sink.LastPayload.Length);
        Assert.All(sink.LastPayload, b => Assert.Equal(0x33, b));
    }

    [Fact]
    public void A_large_frame_costs_the_reader_what_has_arrived_not_what_its_header_announces()
    {
        // A hostile peer under a generous limit: it announces 1 GiB and sends 1,000 bytes.
        var reader = new RpcFrameReader(int.MaxValue);
        var sink = new CollectingSink();
        byte[] start = new byte[RpcFrameHeader.Size + 1000];
        RawConnection.FrameHeader(1u << 30, (byte)RpcFrameType.Request, 1, 0).CopyTo(start, 0);
        var buffer = new ReadOnlySequence<byte>(start);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.False(reader.Read(ref buffer, ref sink));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        reader.Release();

        Assert.True(buffer.IsEmpty);
        Assert.Empty(sink.CallIds);
        Assert.True(allocated < 1 << 20, $"the reader allocated {allocated} bytes for a frame of which 1,000 arrived");
    }

    [Fact]
    public void The_reader_stops_at_a_frame_over_the_limit_after_the_frames_before_it()
    {
        byte[] ok = Frame(8, 1, 0x01);
        byte[] tooLarge = RawConnection.FrameHeader(101, (byte)RpcFrameType.Request, 2, 0);
        var reader = new RpcFrameReader(100);
        var sink = new CollectingSink();
        var buffer = Segments(ok, tooLarge);

        Assert.True(reader.Read(ref buffer, ref sink));
        Assert.Equal(new uint[] { 1 }, sink.CallIds);
        Assert.Equal(2u, sink.TooLarge?.CallId);
    }

    private static byte[] Frame(int payloadLength, uint callId, byte fill)
    {
        byte[] frame = new byte[RpcFrameHeader.Size + payloadLength];
        RawConnection.FrameHeader((uint)payloadLength, (byte)RpcFrameType.Request, callId, 0).CopyTo(frame, 0);
        frame.AsSpan(RpcFrameHeader.Size).Fill(fill);
        return frame;
    }

    private static ReadOnlySequence<byte> Segments(params byte[][] parts)
    {
        var first = new BufferSegment(parts[0], 0);
        BufferSegment last = first;
        for (int i = 1; i < parts.Length; i++)
        {
            var next = new BufferSegment(parts[i], last.RunningIndex + last.Memory.Length);
            last.SetNext(next);
            last = next;
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class BufferSegment : ReadOnlySequenceSegment<byte>
    {
        public BufferSegment(byte[] bytes, long runningIndex)
        {
            Memory = bytes;
            RunningIndex = runningIndex;
        }

        public void SetNext(BufferSegment next) => Next = next;
    }

    private struct CollectingSink : IRpcFrameSink
    {
        private readonly List<uint> _callIds = new();

        public CollectingSink()
        {
        }

        public readonly uint[] CallIds => _callIds.ToArray();

        public byte[] LastPayload { get; private set; } = [];

        public RpcFrameHeader? TooLarge { get; private set; }

        public bool OnFrame(in RpcFrameHeader header, ReadOnlySpan<byte> payload)
        {
            _callIds.Add(header.CallId);
            LastPayload = payload.ToArray();
            return true;
        }

        public void OnFrameTooLarge(in RpcFrameHeader header) => TooLarge = header;
    }

    [Fact]
    public void An_error_payload_round_trips_status_message_and_detail()
    {
        var buffer = new RpcFrameBuffer();
        RpcOutgoingFrame frame = RpcControlFrames.CreateError(buffer, RpcSerializerOptions.Default, 5, 6, RpcStatusCode.NotFound, "gone", "detail\ud800");
        try
        {
            RpcFrameHeader header = RpcFrameHeader.Read(frame.Span);
            Assert.Equal(RpcFrameType.Error, header.Type);
            Assert.Equal(5u, header.CallId);
            (RpcStatusCode status, string message, string? detail) = RpcControlFrames.ReadError(frame.Span.Slice(RpcFrameHeader.Size), RpcSerializerOptions.Default);
            Assert.Equal(RpcStatusCode.NotFound, status);
            Assert.Equal("gone", message);
            Assert.Equal("detail\ud800", detail);
        }
        finally
        {
            frame.Release();
        }
    }

    [Fact]
    public async Task The_example_exchange_in_docs_protocol_md_is_what_the_server_speaks()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.InMemory);
        await using RawConnection raw = await RawConnection.ConnectAsync(host.EndPoint);
        await raw.SendAsync(new byte[] { 0x52, 0x50, 0x43, 0x21, 0x01, 0x00, 0x00, 0x00 });
        Assert.Equal(new byte[] { 0x52, 0x50, 0x43, 0x21, 0x01, 0x00, 0x00, 0x00 }, await raw.ReadExactAsync(8));
        await raw.SendAsync(new byte[]
        {
            0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x10, 0x00, 0x00,
            0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
        });
        Assert.Equal(new byte[]
        {
            0x04, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x10, 0x00, 0x00,
            0x05, 0x00, 0x00, 0x00,
        }, await raw.ReadExactAsync(20));
    }
}
