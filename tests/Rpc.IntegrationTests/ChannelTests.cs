using System.Diagnostics;
using System.Net;
using Rpc.IntegrationTests.Support;
using Rpc.TestServer;

namespace Rpc.IntegrationTests;

/// <summary>
/// A client that outlives its connections: server processes killed and restarted, servers drained, peers that go
/// silent, responses lost on the way, over real sockets.
/// </summary>
public sealed class ChannelTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static RpcClientOptions FastReconnect(RpcRetryPolicy? retry = null) => new()
    {
        InitialReconnectDelay = TimeSpan.FromMilliseconds(50),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
        ConnectTimeout = TimeSpan.FromSeconds(2),
        RetryPolicy = retry ?? new RpcRetryPolicy(),
    };

    [Fact]
    public async Task A_killed_server_process_restarted_on_the_same_port_is_served_again_by_the_same_client()
    {
        int port = ServerProcess.FreePort();
        await using ServerProcess first = await ServerProcess.StartAsync(port, "first");
        await using RpcClient client = await RpcClient.ConnectAsync(first.EndPoint, FastReconnect()).WaitAsync(Timeout);
        IProbe probe = client.CreateProxy<IProbe>();
        Assert.Equal("first", await probe.WhoAsync().AsTask().WaitAsync(Timeout));

        await first.KillAsync();
        await WaitUntilAsync(() => client.State != RpcConnectionState.Ready);

        // During the outage, calls fail fast with Unavailable.
        for (int i = 0; i < 3; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => probe.WhoAsync().AsTask().WaitAsync(Timeout));
            Assert.Equal(RpcStatusCode.Unavailable, error.StatusCode);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"a call during the outage took {stopwatch.Elapsed} to fail");
        }

        // A call that waits for ready completes once the server is back.
        Task<string> waiting;
        using (RpcCallOptions.Push(new RpcCallOptions { WaitForReady = true, Timeout = Timeout }))
        {
            waiting = probe.WhoAsync().AsTask();
        }
        Assert.False(waiting.IsCompleted);

        await using ServerProcess second = await ServerProcess.StartAsync(port, "second");
        var sinceRestart = Stopwatch.StartNew();
        Assert.Equal("second", await waiting.WaitAsync(Timeout));
        while (true)
        {
            try
            {
                Assert.Equal("second", await probe.WhoAsync().AsTask().WaitAsync(Timeout));
                break;
            }
            catch (RpcException ex) when (ex.StatusCode == RpcStatusCode.Unavailable && sinceRestart.Elapsed < Timeout)
            {
                await Task.Delay(10);
            }
        }
        Assert.True(sinceRestart.Elapsed < TimeSpan.FromSeconds(1), $"the client took {sinceRestart.Elapsed} to serve calls after the restart");
        Assert.Equal(RpcConnectionState.Ready, client.State);
    }

    [Fact]
    public async Task A_stream_broken_by_a_killed_server_fails_with_Unavailable_after_the_items_delivered_and_is_not_retried()
    {
        await using ServerProcess server = await ServerProcess.StartAsync();
        await using RpcClient client = await RpcClient.ConnectAsync(server.EndPoint, FastReconnect()).WaitAsync(Timeout);
        IProbe probe = client.CreateProxy<IProbe>();

        var received = new List<int>();
        RpcException error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (int item in probe.CountAsync(1000, 20).WithCancellation(new CancellationTokenSource(Timeout).Token))
            {
                received.Add(item);
                if (item == 2)
                {
                    await server.KillAsync();
                }
            }
        });
        Assert.Equal(RpcStatusCode.Unavailable, error.StatusCode);
        Assert.Equal([0, 1, 2], received.Take(3));
        Assert.True(received.Count < 1000);
        Assert.Equal(Enumerable.Range(0, received.Count), received);
    }

    [Fact]
    public async Task StopAsync_lets_200_calls_in_flight_finish_and_new_calls_go_to_the_next_server()
    {
        var firstService = new ProbeService("first");
        var first = new RpcServer();
        first.AddService<IProbe>(firstService);
        var endPoint = (IPEndPoint)await first.ListenAsync(new IPEndPoint(IPAddress.Loopback, 0));
        await using RpcClient client = await RpcClient.ConnectAsync(endPoint, FastReconnect()).WaitAsync(Timeout);
        IProbe probe = client.CreateProxy<IProbe>();
        Assert.Equal("first", await probe.WhoAsync().AsTask().WaitAsync(Timeout));

        Task<int>[] inFlight = Enumerable.Range(0, 200).Select(_ => probe.SleepAsync(500).AsTask()).ToArray();
        await Task.Delay(100);
        Task stopping = first.StopAsync(new CancellationTokenSource(Timeout).Token);

        // The next server takes the port as soon as the first has stopped listening.
        var second = new RpcServer();
        second.AddService<IProbe>(new ProbeService("second"));
        await ListenWhenFreeAsync(second, endPoint);
        await using (second)
        {
            // Once the first server's GoAway arrived, the client opens its next connection (to the second server).
            await WaitUntilAsync(() => client.Subchannel.Reconnects >= 1);
            using (RpcCallOptions.Push(new RpcCallOptions { WaitForReady = true, Timeout = Timeout }))
            {
                string[] served = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => probe.WhoAsync().AsTask())).WaitAsync(Timeout);
                Assert.All(served, name => Assert.Equal("second", name));
            }
            int[] results = await Task.WhenAll(inFlight).WaitAsync(Timeout);
            Assert.All(results, result => Assert.Equal(500, result));
            await stopping.WaitAsync(Timeout);
        }
    }

    [Fact]
    public async Task A_blackholed_peer_is_detected_by_keepalive_and_the_client_recovers_when_it_forwards_again()
    {
        await using RpcServer server = new();
        server.AddService<IProbe>(new ProbeService("server"));
        var endPoint = (IPEndPoint)await server.ListenAsync(new IPEndPoint(IPAddress.Loopback, 0));
        await using var proxy = new FaultProxy(endPoint);
        RpcClientOptions options = FastReconnect();
        options.KeepAliveInterval = TimeSpan.FromMilliseconds(300);
        options.KeepAliveTimeout = TimeSpan.FromMilliseconds(300);
        await using RpcClient client = await RpcClient.ConnectAsync(proxy.EndPoint, options).WaitAsync(Timeout);
        IProbe probe = client.CreateProxy<IProbe>();
        Assert.Equal("server", await probe.WhoAsync().AsTask().WaitAsync(Timeout));

        proxy.Blackhole = true;
        var stopwatch = Stopwatch.StartNew();
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => probe.SleepAsync(10).AsTask().WaitAsync(Timeout));
        Assert.Equal(RpcStatusCode.Unavailable, error.StatusCode);
        TimeSpan bound = options.KeepAliveInterval + options.KeepAliveTimeout + TimeSpan.FromSeconds(1);
        Assert.True(stopwatch.Elapsed < bound, $"the dead peer was noticed after {stopwatch.Elapsed}, over {bound}");

        proxy.Blackhole = false;
        using (RpcCallOptions.Push(new RpcCallOptions { WaitForReady = true, Timeout = Timeout }))
        {
            Assert.Equal("server", await probe.WhoAsync().AsTask().WaitAsync(Timeout));
        }
    }

    [Fact]
    public async Task A_lost_response_is_retried_for_an_idempotent_method_and_never_for_another()
    {
        var service = new ProbeService("server");
        await using RpcServer server = new();
        server.AddService<IProbe>(service);
        var endPoint = (IPEndPoint)await server.ListenAsync(new IPEndPoint(IPAddress.Loopback, 0));
        await using var proxy = new FaultProxy(endPoint);
        await using RpcClient client = await RpcClient.ConnectAsync(proxy.EndPoint, FastReconnect()).WaitAsync(Timeout);
        IProbe probe = client.CreateProxy<IProbe>();

        proxy.CutOnNextResponses(1);
        Assert.Equal(2, await probe.ReadAsync("read").AsTask().WaitAsync(Timeout));
        Assert.Equal(2, service.Runs("read"));

        await WaitUntilAsync(() => client.State == RpcConnectionState.Ready);
        proxy.CutOnNextResponses(1);
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => probe.WriteAsync("write").AsTask().WaitAsync(Timeout));
        Assert.Equal(RpcStatusCode.Unavailable, error.StatusCode);
        await Task.Delay(200);
        Assert.Equal(1, service.Runs("write"));
    }

    [Fact]
    public async Task An_idempotent_call_is_tried_MaxAttempts_times_and_a_status_the_policy_does_not_name_once()
    {
        var service = new ProbeService("server");
        await using RpcServer server = new();
        server.AddService<IProbe>(service);
        EndPoint endPoint = await server.ListenAsync(new IPEndPoint(IPAddress.Loopback, 0));
        var policy = new RpcRetryPolicy { MaxAttempts = 4, InitialBackoff = TimeSpan.FromMilliseconds(1), MaxBackoff = TimeSpan.FromMilliseconds(5) };
        await using RpcClient client = await RpcClient.ConnectAsync(endPoint, FastReconnect(policy)).WaitAsync(Timeout);
        IProbe probe = client.CreateProxy<IProbe>();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => probe.FailAsync(RpcStatusCode.Unavailable).AsTask().WaitAsync(Timeout));
        Assert.Equal(RpcStatusCode.Unavailable, error.StatusCode);
        Assert.Equal(4, service.Failures);

        await Assert.ThrowsAsync<RpcException>(() => probe.FailAsync(RpcStatusCode.InvalidArgument).AsTask().WaitAsync(Timeout));
        Assert.Equal(5, service.Failures);
    }

    [Fact]
    public async Task The_retry_budget_stops_retries_while_every_call_fails()
    {
        var service = new ProbeService("server");
        await using RpcServer server = new();
        server.AddService<IProbe>(service);
        EndPoint endPoint = await server.ListenAsync(new IPEndPoint(IPAddress.Loopback, 0));
        var policy = new RpcRetryPolicy { MaxAttempts = 3, InitialBackoff = TimeSpan.FromMilliseconds(1), MaxBackoff = TimeSpan.FromMilliseconds(5), BudgetMaxTokens = 4 };
        await using RpcClient client = await RpcClient.ConnectAsync(endPoint, FastReconnect(policy)).WaitAsync(Timeout);
        IProbe probe = client.CreateProxy<IProbe>();

        for (int i = 0; i < 10; i++)
        {
            await Assert.ThrowsAsync<RpcException>(() => probe.FailAsync(RpcStatusCode.Unavailable).AsTask().WaitAsync(Timeout));
        }
        // Four tokens: the first call's retry leaves two, which is no longer above half; every later call runs once.
        Assert.Equal(11, service.Failures);
    }

    [Fact]
    public async Task A_call_that_waits_for_ready_fails_with_DeadlineExceeded_when_no_server_comes()
    {
        var server = new RpcServer();
        server.AddService<IProbe>(new ProbeService("server"));
        EndPoint endPoint = await server.ListenAsync(new IPEndPoint(IPAddress.Loopback, 0));
        await using RpcClient client = await RpcClient.ConnectAsync(endPoint, FastReconnect()).WaitAsync(Timeout);
        IProbe probe = client.CreateProxy<IProbe>();
        await server.DisposeAsync();
        await WaitUntilAsync(() => client.State == RpcConnectionState.TransientFailure);

        using (RpcCallOptions.Push(new RpcCallOptions { WaitForReady = true, Timeout = TimeSpan.FromMilliseconds(300) }))
        {
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => probe.WhoAsync().AsTask().WaitAsync(Timeout));
            Assert.Equal(RpcStatusCode.DeadlineExceeded, error.StatusCode);
        }
        var stopwatch = Stopwatch.StartNew();
        RpcException fast = await Assert.ThrowsAsync<RpcException>(() => probe.WhoAsync().AsTask().WaitAsync(Timeout));
        Assert.Equal(RpcStatusCode.Unavailable, fast.StatusCode);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromMilliseconds(100), $"failing fast took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Disposing_the_client_is_the_only_way_to_Shutdown()
    {
        await using RpcServer server = new();
        server.AddService<IProbe>(new ProbeService("server"));
        EndPoint endPoint = await server.ListenAsync(new IPEndPoint(IPAddress.Loopback, 0));
        RpcClient client = await RpcClient.ConnectAsync(endPoint, FastReconnect()).WaitAsync(Timeout);
        Assert.Equal(RpcConnectionState.Ready, client.State);
        await client.DisposeAsync();
        Assert.Equal(RpcConnectionState.Shutdown, client.State);
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.CreateProxy<IProbe>().WhoAsync().AsTask().WaitAsync(Timeout));
        Assert.Equal(RpcStatusCode.Unavailable, error.StatusCode);
    }

    private static async Task ListenWhenFreeAsync(RpcServer server, EndPoint endPoint)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await server.ListenAsync(endPoint);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (stopwatch.Elapsed < Timeout)
            {
                await Task.Delay(5);
            }
        }
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            if (stopwatch.Elapsed > Timeout)
            {
                throw new TimeoutException("the condition did not hold within " + Timeout);
            }
            await Task.Delay(5);
        }
    }
}
