using System;
using System.IO.Pipelines;
using Rpc.Protocol;
using Xunit;

namespace Rpc.Tests;

/// <summary>When the connection's writer sends what it holds back: the rules docs/threading.md states.</summary>
public sealed class FrameSenderTests
{
    private const int FrameSize = 1000;

    [Fact]
    public void A_corked_batch_under_4_KiB_leaves_in_one_send_when_the_cork_ends()
    {
        var pipe = new Pipe();
        var sender = new RpcFrameSender(pipe.Writer);
        using (sender.Cork())
        {
            for (int i = 0; i < 4; i++)
            {
                Assert.True(sender.TryEnqueue(Frame(i)));
            }
            Assert.Equal(0, SentBytes(pipe));
        }
        Assert.Equal(4 * FrameSize, SentBytes(pipe));
    }

    [Fact]
    public void A_corked_batch_sends_every_4_KiB_while_it_is_still_running()
    {
        var pipe = new Pipe();
        var sender = new RpcFrameSender(pipe.Writer);
        using (sender.Cork())
        {
            for (int i = 0; i < 5; i++)
            {
                Assert.True(sender.TryEnqueue(Frame(i)));
            }
            // The fifth frame took the queue past 4 KiB: all five went out, the cork still on.
            Assert.Equal(5 * FrameSize, SentBytes(pipe));
            Assert.True(sender.TryEnqueue(Frame(5)));
            Assert.Equal(0, SentBytes(pipe));
        }
        Assert.Equal(FrameSize, SentBytes(pipe));
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

    // A frame of FrameSize bytes in a pooled array, as the runtime builds them; the sender returns the array.
    private static RpcOutgoingFrame Frame(int marker)
    {
        byte[] buffer = RpcBufferPool.Rent(FrameSize);
        buffer.AsSpan(0, FrameSize).Fill((byte)marker);
        return new RpcOutgoingFrame(buffer, FrameSize);
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
