using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Protocol;
using Rpc.Tests.Manual;
using Rpc.Tests.Support;
using Xunit;

namespace Rpc.Tests;

/// <summary>
/// The requests of one read run as a batch on the thread that read them, their responses held back for one flush.
/// These tests put several requests in one read (one write of raw frames) and make one of them block its thread:
/// what the batch holds back, and what comes after the blocked request, must not wait for it.
/// </summary>
public sealed class BatchingTests
{
    private const byte Request = 1;
    private const int BlockMilliseconds = 1500;

    private static byte[] AddRequest(uint callId, int a, int b)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(payload, a);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(4), b);
        return RawConnection.Frame(Request, callId, CalculatorMethods.Add.Id, 0, payload);
    }

    private static byte[] BlockRequest(uint callId)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(payload, BlockMilliseconds);
        return RawConnection.Frame(Request, callId, CalculatorMethods.Block.Id, 0, payload);
    }

    private static async Task<(uint CallId, int Value, TimeSpan At)> ReadResponseAsync(RawConnection raw, Stopwatch clock)
    {
        (RpcFrameHeader header, byte[] payload) = await raw.ReadFrameAsync() ?? throw new InvalidOperationException("The server closed the connection.");
        Assert.Equal(RpcFrameType.Response, header.Type);
        return (header.CallId, BinaryPrimitives.ReadInt32LittleEndian(payload), clock.Elapsed);
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_response_held_back_by_its_batch_goes_out_while_a_later_request_of_the_batch_blocks(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        await using RawConnection raw = await RawConnection.ConnectAndHandshakeAsync(host.EndPoint);

        var clock = Stopwatch.StartNew();
        await raw.SendAsync(AddRequest(1, 2, 3).Concat(BlockRequest(3)).ToArray());

        (uint callId, int sum, TimeSpan at) = await ReadResponseAsync(raw, clock).WaitAsync(TestHost.Timeout);
        Assert.Equal(1u, callId);
        Assert.Equal(5, sum);
        Assert.False(host.Service.BlockFinished, $"the first response came after {at}, once the blocked request had returned");
        (callId, _, _) = await ReadResponseAsync(raw, clock).WaitAsync(TestHost.Timeout);
        Assert.Equal(3u, callId);
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task Requests_behind_a_blocked_request_of_the_same_batch_are_served_by_another_thread(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        await using RawConnection raw = await RawConnection.ConnectAndHandshakeAsync(host.EndPoint);

        var clock = Stopwatch.StartNew();
        await raw.SendAsync(BlockRequest(1).Concat(AddRequest(3, 20, 1)).Concat(AddRequest(5, 40, 2)).ToArray());

        // Another thread takes over within a watchdog tick if the thread pool has a thread to spare; when blocked
        // handlers elsewhere starve it, within the pool's thread injection: either way before the block ends.
        for (int i = 0; i < 2; i++)
        {
            (uint callId, int sum, TimeSpan at) = await ReadResponseAsync(raw, clock).WaitAsync(TestHost.Timeout);
            Assert.True(callId is 3 or 5, $"call {callId} was answered before the calls behind the blocked one, after {at}");
            Assert.Equal(callId == 3 ? 21 : 42, sum);
        }
        (uint blocked, int slept, _) = await ReadResponseAsync(raw, clock).WaitAsync(TestHost.Timeout);
        Assert.Equal(1u, blocked);
        Assert.Equal(BlockMilliseconds, slept);
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task Handlers_do_not_see_the_ambient_values_of_whoever_started_the_server(TransportKind transport)
    {
        var ambient = new AsyncLocal<string?> { Value = "listener" };
        await using TestHost host = await TestHost.StartAsync(transport);
        ambient.Value = null;
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            string? seen = "not run";
            host.Service.OnAdd = () => seen = ambient.Value;
            Assert.Equal(3, await proxy.AddAsync(1, 2).AsTask().WaitAsync(TestHost.Timeout));
            Assert.Null(seen);
        }
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_caller_resumed_by_the_thread_that_read_its_response_keeps_its_own_ambient_values(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        var ambient = new AsyncLocal<string?> { Value = "connector" };
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            string?[] seen = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            {
                ambient.Value = "caller " + i;
                await proxy.AddAsync(i, i).ConfigureAwait(false);
                string? first = ambient.Value;
                await proxy.AddAsync(i, 1).ConfigureAwait(false);
                return first == ambient.Value ? first : "changed";
            }))).WaitAsync(TestHost.Timeout);
            Assert.Equal(Enumerable.Range(0, 8).Select(i => "caller " + i), seen);
        }
    }
}
