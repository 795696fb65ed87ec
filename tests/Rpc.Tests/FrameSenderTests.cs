using System;
using System.IO.Pipelines;
using Rpc.Protocol;
using Xunit;

namespace Rpc.Tests;

/// <summary>When the connection's writer sends what it holds back: the rules docs/threading.md states.</summary>
public sealed class FrameSenderTests
{
    private const int FrameSize = 1000;

    // About the size of a small unary request or response.
    private const int SmallFrameSize = 60;

    [Theory]
    [InlineData(8, FrameSize)]
    // Without request parts (a server's sender), however many small frames a batch holds, it leaves whole.
    [InlineData(64, SmallFrameSize)]
    public void A_corked_batch_under_8_KiB_leaves_in_one_send_when_the_cork_ends(int frames, int frameSize)
    {
        var pipe = new Pipe();
        var sender = new RpcFrameSender(pipe.Writer);
        using (sender.Cork())
        {
            for (int i = 0; i < frames; i++)
            {
                Assert.True(sender.TryEnqueue(Frame(i, frameSize)));
            }
            Assert.Equal(0, SentBytes(pipe));
        }
        Assert.Equal(frames * frameSize, SentBytes(pipe));
    }

    [Fact]
    public void A_corked_batch_sends_every_8_KiB_while_it_is_still_running()
    {
        var pipe = new Pipe();
        var sender = new RpcFrameSender(pipe.Writer);
        using (sender.Cork())
        {
            for (int i = 0; i < 9; i++)
            {
                Assert.True(sender.TryEnqueue(Frame(i)));
            }
            // The ninth frame took the queue past 8 KiB: all nine went out, the cork still on.
            Assert.Equal(9 * FrameSize, SentBytes(pipe));
            Assert.True(sender.TryEnqueue(Frame(9)));
            Assert.Equal(0, SentBytes(pipe));
        }
        Assert.Equal(FrameSize, SentBytes(pipe));
    }

    [Fact]
    public void A_client_sends_corked_requests_once_they_are_as_many_as_the_calls_whose_requests_are_out()
    {
        var pipe = new Pipe();
        var sender = new RpcFrameSender(pipe.Writer);
        int callsInFlight = 24;
        sender.SendRequestsInParts(() => callsInFlight);
        using (sender.Cork())
        {
            // 24 calls await responses: the 24th request queued makes a part.
            AssertPartLeavesAt(24, sender, pipe, ref callsInFlight);

            // Now 48 are out: the next part leaves at 48.
            AssertPartLeavesAt(48, sender, pipe, ref callsInFlight);
        }
    }

    [Fact]
    public void A_request_part_is_never_smaller_than_8_frames()
    {
        var pipe = new Pipe();
        var sender = new RpcFrameSender(pipe.Writer);
        int callsInFlight = 0;
        sender.SendRequestsInParts(() => callsInFlight);
        using (sender.Cork())
        {
            // No call is out yet, so any request would be due; still, seven go out together with the eighth.
            AssertPartLeavesAt(8, sender, pipe, ref callsInFlight);
        }
    }

    [Fact]
    public void Deferred_frames_gather_up_to_32_KiB_before_they_are_sent()
    {
        var pipe = new Pipe();
        var sender = new RpcFrameSender(pipe.Writer);
        for (int i = 0; i < 32; i++)
        {
            Assert.True(sender.TryEnqueue(Frame(i), deferSend: true));
        }
        // 32,000 bytes: still held back for the stream pump's own flush.
        Assert.Equal(0, SentBytes(pipe));
        Assert.True(sender.TryEnqueue(Frame(32), deferSend: true));
        Assert.Equal(33 * FrameSize, SentBytes(pipe));

        Assert.True(sender.TryEnqueue(Frame(33), deferSend: true));
        sender.Flush();
        Assert.Equal(FrameSize, SentBytes(pipe));
    }

    [Fact]
    public void Without_a_cork_each_frame_is_sent_at_once()
    {
        var pipe = new Pipe();
        var sender = new RpcFrameSender(pipe.Writer);
        Assert.True(sender.TryEnqueue(Frame(0)));
        Assert.Equal(FrameSize, SentBytes(pipe));
    }

    [Fact]
    public void Small_frames_copied_into_chunks_keep_their_order_with_large_frames_queued_by_reference()
    {
        var pipe = new Pipe();
        var sender = new RpcFrameSender(pipe.Writer);
        var expected = new System.Collections.Generic.List<byte>();
        using (sender.Cork())
        {
            // 60-byte frames (copied) around 1,000-byte ones (by reference), more than one 16 KiB chunk in all.
            for (int i = 0; i < 400; i++)
            {
                int size = i % 50 == 25 ? FrameSize : 60;
                RpcOutgoingFrame frame = Frame(i, size);
                expected.AddRange(frame.Span.ToArray());
                Assert.True(sender.TryEnqueue(frame));
            }
        }
        Assert.Equal(expected.ToArray(), Sent(pipe));
    }

    [Fact]
    public void A_sealed_small_frame_is_copied_and_its_buffer_keeps_the_array_for_the_next_frame()
    {
        var pipe = new Pipe();
        var sender = new RpcFrameSender(pipe.Writer);
        var buffer = new RpcFrameBuffer();
        buffer.GetSpan(3)[..3].Fill(7);
        buffer.Advance(3);
        byte[] array = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(buffer.GetMemory(1), out ArraySegment<byte> segment) ? segment.Array! : [];

        bool queued;
        bool mustSend;
        using (sender.SyncRoot.EnterScope())
        {
            queued = sender.TryEnqueueLocked(buffer.Seal(RpcFrameType.Response, RpcFrameFlags.None, callId: 5, methodId: 9), deferSend: false, out mustSend);
        }
        Assert.True(queued);
        Assert.True(mustSend);
        sender.Send();

        byte[] sent = Sent(pipe);
        Assert.Equal(RpcFrameHeader.Size + 3, sent.Length);
        RpcFrameHeader header = RpcFrameHeader.Read(sent);
        Assert.Equal((5u, 9u, 3u), (header.CallId, header.MethodId, header.PayloadLength));
        Assert.Equal(new byte[] { 7, 7, 7 }, sent[RpcFrameHeader.Size..]);
        // Empty again, with the same array: a pooled call's buffer needs no array per call.
        Assert.Equal(0, buffer.PayloadLength);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(buffer.GetMemory(1), out ArraySegment<byte> after));
        Assert.Same(array, after.Array);
    }

    // Queues small frames as a client queues requests (each is one more call in flight) and checks that nothing is
    // sent until the one that makes `requests`, which sends them all.
    private static void AssertPartLeavesAt(int requests, RpcFrameSender sender, Pipe pipe, ref int callsInFlight)
    {
        for (int i = 0; i < requests; i++)
        {
            Assert.Equal(0, SentBytes(pipe));
            callsInFlight++;
            Assert.True(sender.TryEnqueue(Frame(i, SmallFrameSize)));
        }
        Assert.Equal(requests * SmallFrameSize, SentBytes(pipe));
    }

    // A frame of FrameSize bytes in a pooled array, as the runtime builds them; the sender returns the array.
    private static RpcOutgoingFrame Frame(int marker, int size = FrameSize)
    {
        byte[] buffer = RpcBufferPool.Rent(size);
        buffer.AsSpan(0, size).Fill((byte)marker);
        return new RpcOutgoingFrame(buffer, size);
    }

    private static byte[] Sent(Pipe pipe)
    {
        if (!pipe.Reader.TryRead(out ReadResult result))
        {
            return [];
        }
        byte[] bytes = System.Buffers.BuffersExtensions.ToArray(result.Buffer);
        pipe.Reader.AdvanceTo(result.Buffer.End);
        return bytes;
    }

    // What reached the pipe since the last look (the sender flushes synchronously into an empty pipe).
    private static long SentBytes(Pipe pipe)
    {
        if (!pipe.Reader.TryRead(out ReadResult result))
        {
            return 0;
        }
        long length = result.Buffer.Length;
        pipe.Reader.AdvanceTo(result.Buffer.End);
        return length;
    }
}
