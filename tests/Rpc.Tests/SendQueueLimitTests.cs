using System;
using System.Buffers.Binary;
using System.IO;
using System.Threading.Tasks;
using Rpc.Protocol;
using Rpc.Server;
using Rpc.Tests.Manual;
using Rpc.Tests.Support;
using Xunit;

namespace Rpc.Tests;

/// <summary><see cref="RpcServerOptions.MaxQueuedSendBytesPerConnection"/>: a client that sends requests but does not read the responses.</summary>
public sealed class SendQueueLimitTests
{
    private const int Requests = 2000;
    private const int ResponseSize = 32 * 1024;

    // Over sockets: a read takes what one socket read returns. The in-memory transport hands all 40 KB to one read,
    // whose requests are all answered before the server pauses, as the option's documentation says.
    [Theory]
    [MemberData(nameof(TestHost.SocketTransports), MemberType = typeof(TestHost))]
    public async Task A_client_that_does_not_read_its_responses_stops_being_read_and_gets_every_response_once_it_reads(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport, new RpcServerOptions { MaxQueuedSendBytesPerConnection = 64 * 1024 });
        await using RawConnection raw = await RawConnection.ConnectAndHandshakeAsync(host.EndPoint);

        // About 40 KB of requests in one write; answered in full they would be 64 MB of responses. A socket read
        // takes at most 16 KiB of them (some 800 requests), whose 26 MB of responses fill any loopback socket buffers.
        await raw.SendAsync(GetBytesRequests(Requests, ResponseSize));
        RpcServerConnection connection = await host.SingleServerConnectionAsync();
        await StreamingTests.WaitUntilAsync(() => connection.IsReadingPaused);
        int answeredWhilePaused = host.Service.BytesCalls;
        Assert.True(answeredWhilePaused < Requests, $"the server answered all {Requests} requests of a client that read none of the responses");

        // Other connections are served meanwhile.
        (RpcClient other, ICalculatorService otherProxy) = await host.ConnectProxyAsync();
        await using (other)
        {
            Assert.Equal(5, await otherProxy.AddAsync(2, 3).AsTask().WaitAsync(TestHost.Timeout));
        }
        Assert.True(connection.IsReadingPaused);

        // Once the client reads, the server reads on: every call is answered, each once and whole.
        var answered = new bool[Requests + 1];
        for (int i = 0; i < Requests; i++)
        {
            (RpcFrameHeader header, byte[] payload) = (await raw.ReadFrameAsync().WaitAsync(TestHost.Timeout))!.Value;
            Assert.Equal(RpcFrameType.Response, header.Type);
            Assert.InRange(header.CallId, 1u, (uint)Requests);
            Assert.False(answered[header.CallId], $"call {header.CallId} was answered twice");
            answered[header.CallId] = true;
            Assert.Equal(4 + ResponseSize, payload.Length);
        }
        Assert.Equal(Requests, host.Service.BytesCalls);
        Assert.False(connection.IsReadingPaused);
    }

    [Fact]
    public async Task A_paused_connection_that_is_closed_ends_its_reading()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp, new RpcServerOptions { MaxQueuedSendBytesPerConnection = 64 * 1024 });
        RawConnection raw = await RawConnection.ConnectAndHandshakeAsync(host.EndPoint);
        await raw.SendAsync(GetBytesRequests(Requests, ResponseSize));
        RpcServerConnection connection = await host.SingleServerConnectionAsync();
        await StreamingTests.WaitUntilAsync(() => connection.IsReadingPaused);

        // The server's own close (a shutdown) must not wait on a reader that nobody resumes.
        await raw.DisposeAsync();
        await host.Server.DisposeAsync().AsTask().WaitAsync(TestHost.Timeout);
        await connection.Completion.WaitAsync(TestHost.Timeout);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(64 * 1024 - 1)]
    public void A_limit_under_64_KiB_is_refused(int limit)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RpcServer(new RpcServerOptions { MaxQueuedSendBytesPerConnection = limit }));
    }

    private static byte[] GetBytesRequests(int count, int size)
    {
        var requests = new MemoryStream();
        Span<byte> argument = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(argument, size);
        for (int i = 1; i <= count; i++)
        {
            requests.Write(RawConnection.Frame((byte)RpcFrameType.Request, (uint)i, CalculatorMethods.GetBytes.Id, 0, argument));
        }
        return requests.ToArray();
    }
}
