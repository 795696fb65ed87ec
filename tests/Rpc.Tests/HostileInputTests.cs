using System;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Rpc.Protocol;
using Rpc.Tests.Manual;
using Rpc.Tests.Support;
using Xunit;

namespace Rpc.Tests;

public sealed class HostileInputTests
{
    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_garbage_preface_is_refused_while_a_good_client_on_the_same_server_keeps_working(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            await using RawConnection raw = await RawConnection.ConnectAsync(host.EndPoint);
            await raw.SendAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray());
            byte[] answer = await raw.ReadUntilClosedAsync();
            Assert.Empty(answer);

            Assert.Equal(11, await proxy.AddAsync(5, 6).AsTask().WaitAsync(TestHost.Timeout));
        }
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_preface_with_another_version_is_refused(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        await using RawConnection raw = await RawConnection.ConnectAsync(host.EndPoint);
        byte[] preface = RawConnection.Preface();
        BinaryPrimitives.WriteUInt16LittleEndian(preface.AsSpan(4), 2);
        await raw.SendAsync(preface);
        Assert.Empty(await raw.ReadUntilClosedAsync());
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_connection_that_sends_nothing_is_closed_after_the_preface_timeout(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport, new RpcServerOptions { PrefaceTimeout = TimeSpan.FromMilliseconds(200) });
        await using RawConnection raw = await RawConnection.ConnectAsync(host.EndPoint);
        Assert.Empty(await raw.ReadUntilClosedAsync());
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task An_oversized_frame_header_closes_only_that_connection_with_a_GoAway(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport, new RpcServerOptions { MaxFrameSize = 64 * 1024 });
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            await using RawConnection raw = await RawConnection.ConnectAsync(host.EndPoint);
            await raw.SendAsync(RawConnection.Preface());
            Assert.Equal(RawConnection.Preface(), await raw.ReadExactAsync(RpcPreface.Size));

            // Announce 1 GiB and send none of it: the server must refuse on the header alone.
            await raw.SendAsync(RawConnection.FrameHeader(1u << 30, (byte)RpcFrameType.Request, 1, CalculatorMethods.Add.Id));
            byte[] rest = await raw.ReadUntilClosedAsync();

            Assert.True(rest.Length >= RpcFrameHeader.Size, "expected a GoAway before the close");
            RpcFrameHeader header = RpcFrameHeader.Read(rest);
            Assert.Equal(RpcFrameType.GoAway, header.Type);
            (RpcStatusCode status, string message) = RpcControlFrames.ReadGoAway(rest.AsSpan(RpcFrameHeader.Size, (int)header.PayloadLength), Serialization.RpcSerializerOptions.Default);
            Assert.Equal(RpcStatusCode.ResourceExhausted, status);
            Assert.Contains("exceeds", message);

            Assert.Equal(13, await proxy.AddAsync(6, 7).AsTask().WaitAsync(TestHost.Timeout));
        }
    }

    [Theory]
    [InlineData((byte)12)]
    [InlineData((byte)11)]
    [InlineData((byte)200)]
    public async Task An_unknown_or_reserved_frame_type_is_a_protocol_error_that_closes_the_connection(byte type)
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.InMemory);
        await using RawConnection raw = await RawConnection.ConnectAsync(host.EndPoint);
        await raw.SendAsync(RawConnection.Preface());
        Assert.NotNull(await raw.ReadExactAsync(RpcPreface.Size));
        await raw.SendAsync(RawConnection.FrameHeader(0, type, 1, 0));
        byte[] rest = await raw.ReadUntilClosedAsync();
        Assert.Equal(RpcFrameType.GoAway, RpcFrameHeader.Read(rest).Type);
    }

    [Fact]
    public async Task A_server_that_answers_with_a_wrong_preface_fails_ConnectAsync_with_Unavailable()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        Task impostor = Task.Run(async () =>
        {
            using Socket accepted = await listener.AcceptAsync();
            await accepted.SendAsync("HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray());
            await Task.Delay(500);
        });

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => RpcClient.ConnectAsync(listener.LocalEndPoint!).WaitAsync(TestHost.Timeout));
        Assert.Equal(RpcStatusCode.Unavailable, error.StatusCode);
        Assert.Contains("preface", error.Message);
        await impostor.WaitAsync(TestHost.Timeout);
    }

    [Fact]
    public async Task A_server_that_never_answers_fails_ConnectAsync_after_the_connect_timeout()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        RpcException error = await Assert.ThrowsAsync<RpcException>(() =>
            RpcClient.ConnectAsync(listener.LocalEndPoint!, new RpcClientOptions { ConnectTimeout = TimeSpan.FromMilliseconds(200) }).WaitAsync(TestHost.Timeout));
        Assert.Equal(RpcStatusCode.Unavailable, error.StatusCode);
    }
}
