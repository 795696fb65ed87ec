using System;
using System.Buffers;
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
