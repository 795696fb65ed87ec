using System;
using System.Buffers.Binary;
using System.Threading.Tasks;
using Rpc.Protocol;
using Rpc.Serialization;
using Rpc.Tests.Manual;
using Rpc.Tests.Support;
using Xunit;

namespace Rpc.Tests;

/// <summary>The stream, flow-control, deadline and metadata frames as bytes: docs/protocol.md's examples, and what a broken peer gets.</summary>
public sealed class StreamProtocolTests
{
    [Fact]
    public void A_WindowUpdate_is_a_header_and_a_uint32_increment()
    {
        RpcOutgoingFrame frame = RpcControlFrames.CreateWindowUpdate(7, 65536);
        try
        {
            Assert.Equal(new byte[]
            {
                0x04, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                0x00, 0x00, 0x01, 0x00,
            }, frame.Span.ToArray());
        }
        finally
        {
            frame.Release();
        }
    }

    [Fact]
    public async Task The_server_stream_example_in_docs_protocol_md_is_what_the_server_speaks()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.InMemory);
        await using RawConnection raw = await RawConnection.ConnectAndHandshakeAsync(host.EndPoint);
        // CountAsync(from: 5, count: 2) as call 1, method 0x2001.
        await raw.SendAsync(new byte[]
        {
            0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x20, 0x00, 0x00,
            0x05, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
        });
        Assert.Equal(new byte[]
        {
            0x04, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x05, 0x00, 0x00, 0x00,
            0x04, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x06, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x06, 0x02, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x20, 0x00, 0x00,
        }, await raw.ReadExactAsync(56));
    }

    [Fact]
    public async Task The_deadline_example_in_docs_protocol_md_ends_in_DeadlineExceeded()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.InMemory);
        await using RawConnection raw = await RawConnection.ConnectAndHandshakeAsync(host.EndPoint);
        // SleepAsync(60000) as call 1, method 0x1003, flag HasDeadline, timeout 100,000 microseconds.
        await raw.SendAsync(new byte[]
        {
            0x0C, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x03, 0x10, 0x00, 0x00,
            0xA0, 0x86, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x60, 0xEA, 0x00, 0x00,
        });
        (RpcFrameHeader header, byte[] payload) = (await raw.ReadFrameAsync())!.Value;
        Assert.Equal(RpcFrameType.Error, header.Type);
        Assert.Equal(RpcStatusCode.DeadlineExceeded, RpcControlFrames.ReadError(payload, RpcSerializerOptions.Default).Status);
        await host.Service.SleepCancellationObserved.Task.WaitAsync(TestHost.Timeout);
    }

    [Fact]
    public async Task Stream_frames_for_calls_that_do_not_exist_are_ignored()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.InMemory);
        await using RawConnection raw = await RawConnection.ConnectAndHandshakeAsync(host.EndPoint);
        await raw.SendAsync(RawConnection.Frame((byte)RpcFrameType.StreamItem, 99, 0, 0, new byte[] { 1, 2, 3, 4 }));
        await raw.SendAsync(RawConnection.Frame((byte)RpcFrameType.StreamEnd, 99, 0, (byte)RpcFrameFlags.EndOfStream, default));
        await raw.SendAsync(RawConnection.Frame((byte)RpcFrameType.WindowUpdate, 99, 0, 0, new byte[] { 0, 1, 0, 0 }));
        // Still in step: a request after them is answered.
        await raw.SendAsync(RawConnection.Frame((byte)RpcFrameType.Request, 1, CalculatorMethods.Add.Id, 0, new byte[] { 2, 0, 0, 0, 3, 0, 0, 0 }));
        (RpcFrameHeader header, byte[] payload) = (await raw.ReadFrameAsync())!.Value;
        Assert.Equal(RpcFrameType.Response, header.Type);
        Assert.Equal(5, BinaryPrimitives.ReadInt32LittleEndian(payload));
    }

    [Fact]
    public async Task A_client_that_sends_past_its_credit_is_cut_off_with_a_GoAway_and_others_are_not()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp);
        using var gate = new System.Threading.SemaphoreSlim(0);
        host.Streaming.UploadGate = gate;
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            await using RawConnection raw = await RawConnection.ConnectAndHandshakeAsync(host.EndPoint);
            // UploadAsync("x") as call 1, then 4 KiB items without waiting for credit: the 17th has none.
            await raw.SendAsync(RawConnection.Frame((byte)RpcFrameType.Request, 1, StreamingMethods.Upload.Id, 0, new byte[] { 0xFE, 0xFF, 0xFF, 0xFF, 1, 0, 0, 0, (byte)'x' }));
            byte[] item = new byte[4 + 4096];
            BinaryPrimitives.WriteInt32LittleEndian(item, 4096);
            try
            {
                for (int i = 0; i < 20; i++)
                {
                    await raw.SendAsync(RawConnection.Frame((byte)RpcFrameType.StreamItem, 1, 0, 0, item));
                }
            }
            catch (System.IO.IOException)
            {
                // The server may close the connection before the last items are written: that is the point.
            }
            (RpcFrameHeader header, byte[] payload) = await ReadPastWindowUpdatesAsync(raw);
            Assert.Equal(RpcFrameType.GoAway, header.Type);
            Assert.Equal(RpcStatusCode.ResourceExhausted, RpcControlFrames.ReadGoAway(payload, RpcSerializerOptions.Default).Status);
            gate.Release(100);

            Assert.Equal(7, await proxy.AddAsync(3, 4).AsTask().WaitAsync(TestHost.Timeout));
        }
    }

    [Theory]
    [InlineData(0xFFFFFFFFu)]
    [InlineData(0u)]
    public async Task A_WindowUpdate_that_overflows_the_credit_or_grants_nothing_closes_the_connection(uint increment)
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.InMemory);
        await using RawConnection raw = await RawConnection.ConnectAndHandshakeAsync(host.EndPoint);
        // ForeverAsync as call 1: a response stream whose credit the WindowUpdate adds to.
        await raw.SendAsync(RawConnection.Frame((byte)RpcFrameType.Request, 1, StreamingMethods.Forever.Id, 0, default));
        byte[] grant = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(grant, increment);
        await raw.SendAsync(RawConnection.Frame((byte)RpcFrameType.WindowUpdate, 1, 0, 0, grant));
        await raw.SendAsync(RawConnection.Frame((byte)RpcFrameType.WindowUpdate, 1, 0, 0, grant));

        while (true)
        {
            (RpcFrameHeader Header, byte[] Payload)? frame = await raw.ReadFrameAsync();
            Assert.NotNull(frame);
            if (frame.Value.Header.Type == RpcFrameType.GoAway)
            {
                Assert.Equal(RpcStatusCode.Internal, RpcControlFrames.ReadGoAway(frame.Value.Payload, RpcSerializerOptions.Default).Status);
                break;
            }
            Assert.Equal(RpcFrameType.StreamItem, frame.Value.Header.Type);
        }
        await host.Streaming.ForeverFinished.Task.WaitAsync(TestHost.Timeout);
    }

    [Fact]
    public async Task Malformed_request_metadata_fails_that_call_with_InvalidArgument_and_keeps_the_connection()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.InMemory);
        await using RawConnection raw = await RawConnection.ConnectAndHandshakeAsync(host.EndPoint);
        // HasMetadata, and a block claiming one entry whose key has a space in it.
        byte[] block = { 14, 0, 0, 0, 1, 0, 0, 0, 0xFC, 0xFF, 0xFF, 0xFF, 3, 0, 0, 0, (byte)'a', (byte)' ', (byte)'b' };
        block[0] = (byte)(block.Length - 4);
        await raw.SendAsync(RawConnection.Frame((byte)RpcFrameType.Request, 1, CalculatorMethods.Add.Id, (byte)RpcFrameFlags.HasMetadata, block));
        (RpcFrameHeader header, byte[] payload) = (await raw.ReadFrameAsync())!.Value;
        Assert.Equal(RpcFrameType.Error, header.Type);
        Assert.Equal(RpcStatusCode.InvalidArgument, RpcControlFrames.ReadError(payload, RpcSerializerOptions.Default).Status);

        await raw.SendAsync(RawConnection.Frame((byte)RpcFrameType.Request, 2, CalculatorMethods.Add.Id, 0, new byte[] { 2, 0, 0, 0, 3, 0, 0, 0 }));
        Assert.Equal(RpcFrameType.Response, (await raw.ReadFrameAsync())!.Value.Header.Type);
    }

    private static async Task<(RpcFrameHeader, byte[])> ReadPastWindowUpdatesAsync(RawConnection raw)
    {
        while (true)
        {
            (RpcFrameHeader Header, byte[] Payload)? frame = await raw.ReadFrameAsync();
            Assert.NotNull(frame);
            if (frame.Value.Header.Type != RpcFrameType.WindowUpdate)
            {
                return frame.Value;
            }
        }
    }
}
