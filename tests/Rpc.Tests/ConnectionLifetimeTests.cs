using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Rpc.Tests.Manual;
using Rpc.Tests.Support;
using Xunit;

namespace Rpc.Tests;

public sealed class ConnectionLifetimeTests
{
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(3);

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_connection_cut_in_the_middle_fails_every_pending_call_with_Unavailable_promptly(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        await using KillableProxy proxy = KillableProxy.Start(transport, host.EndPoint);
        // The proxy accepts one connection: a reconnect reaches its listener's backlog and is never answered.
        var options = new RpcClientOptions { ConnectTimeout = TimeSpan.FromSeconds(1) };
        await using RpcClient client = await RpcClient.ConnectAsync(proxy.EndPoint, options).WaitAsync(TestHost.Timeout);
        ICalculatorService service = client.CreateProxy<ICalculatorService>();
        Assert.Equal(2, await service.AddAsync(1, 1).AsTask().WaitAsync(TestHost.Timeout));

        Task[] pending = Enumerable.Range(0, 10).Select(_ => service.SleepAsync(60_000).AsTask()).ToArray();
        await host.Service.SleepStarted.Task.WaitAsync(TestHost.Timeout);

        var stopwatch = Stopwatch.StartNew();
        await proxy.KillAsync();
        foreach (Task call in pending)
        {
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => call.WaitAsync(TestHost.Timeout));
            Assert.Equal(RpcStatusCode.Unavailable, error.StatusCode);
        }
        Assert.True(stopwatch.Elapsed < Promptly, $"pending calls took {stopwatch.Elapsed} to fail");

        // Later calls fail the same way instead of hanging: they wait for the reconnect attempt, which times out.
        RpcException late = await Assert.ThrowsAsync<RpcException>(() => service.AddAsync(1, 1).AsTask().WaitAsync(TestHost.Timeout));
        Assert.Equal(RpcStatusCode.Unavailable, late.StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_server_that_shuts_down_without_grace_fails_pending_calls_with_Unavailable(TransportKind transport)
    {
        TestHost host = await TestHost.StartAsync(transport, new RpcServerOptions { ShutdownTimeout = TimeSpan.Zero });
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            ValueTask sleeping = proxy.SleepAsync(60_000);
            await host.Service.SleepStarted.Task.WaitAsync(TestHost.Timeout);

            var stopwatch = Stopwatch.StartNew();
            await host.DisposeAsync();
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => sleeping.AsTask().WaitAsync(TestHost.Timeout));
            Assert.Equal(RpcStatusCode.Unavailable, error.StatusCode);
            Assert.True(stopwatch.Elapsed < Promptly, $"the pending call took {stopwatch.Elapsed} to fail");
            await host.Service.SleepCancellationObserved.Task.WaitAsync(TestHost.Timeout);
        }
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task Disposing_the_server_lets_an_in_flight_call_finish(TransportKind transport)
    {
        TestHost host = await TestHost.StartAsync(transport);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            ValueTask sleeping = proxy.SleepAsync(300);
            await host.Service.SleepStarted.Task.WaitAsync(TestHost.Timeout);

            Task disposing = host.DisposeAsync().AsTask();
            await sleeping.AsTask().WaitAsync(TestHost.Timeout);
            Assert.True(host.Service.SleepFinished.Task.IsCompleted);
            await disposing.WaitAsync(TestHost.Timeout);

            RpcException late = await Assert.ThrowsAsync<RpcException>(() => proxy.AddAsync(1, 1).AsTask().WaitAsync(TestHost.Timeout));
            Assert.Equal(RpcStatusCode.Unavailable, late.StatusCode);
        }
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task Disposing_the_client_fails_its_pending_calls_and_later_ones_with_Unavailable(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        ValueTask sleeping = proxy.SleepAsync(60_000);
        await host.Service.SleepStarted.Task.WaitAsync(TestHost.Timeout);

        await client.DisposeAsync().AsTask().WaitAsync(TestHost.Timeout);
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => sleeping.AsTask().WaitAsync(TestHost.Timeout));
        Assert.Equal(RpcStatusCode.Unavailable, error.StatusCode);

        RpcException late = await Assert.ThrowsAsync<RpcException>(() => proxy.AddAsync(1, 1).AsTask().WaitAsync(TestHost.Timeout));
        Assert.Equal(RpcStatusCode.Unavailable, late.StatusCode);
        RpcException lateOneWay = await Assert.ThrowsAsync<RpcException>(() => proxy.NotifyAsync("too late").AsTask().WaitAsync(TestHost.Timeout));
        Assert.Equal(RpcStatusCode.Unavailable, lateOneWay.StatusCode);

        // The server noticed the client leaving and cancelled what it was doing for it.
        await host.Service.SleepCancellationObserved.Task.WaitAsync(TestHost.Timeout);
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task Connecting_where_nobody_listens_fails_with_Unavailable(TransportKind transport)
    {
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => RpcClient.ConnectAsync(TestHost.CreateEndPoint(transport)).WaitAsync(TestHost.Timeout));
        Assert.Equal(RpcStatusCode.Unavailable, error.StatusCode);
    }
}
