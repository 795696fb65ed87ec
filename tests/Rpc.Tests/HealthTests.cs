using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Health;
using Rpc.Tests.Manual;
using Rpc.Tests.Support;
using Xunit;

namespace Rpc.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task Check_answers_for_the_whole_server_served_services_set_statuses_and_unknown_names()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp);
        await using RpcClient client = await host.ConnectAsync();
        IRpcHealth health = client.CreateProxy<IRpcHealth>();

        Assert.Equal(RpcHealthStatus.Serving, await health.CheckAsync(""));
        Assert.Equal(RpcHealthStatus.Serving, await health.CheckAsync(CalculatorMethods.ServiceName));
        Assert.Equal(RpcHealthStatus.ServiceUnknown, await health.CheckAsync("No.Such.Service"));

        host.Server.Health.SetStatus(CalculatorMethods.ServiceName, RpcHealthStatus.NotServing);
        host.Server.Health.SetStatus("", RpcHealthStatus.NotServing);
        Assert.Equal(RpcHealthStatus.NotServing, await health.CheckAsync(CalculatorMethods.ServiceName));
        Assert.Equal(RpcHealthStatus.NotServing, await health.CheckAsync(""));

        host.Server.Health.ClearStatus("");
        Assert.Equal(RpcHealthStatus.Serving, await health.CheckAsync(""));
    }

    [Fact]
    public async Task Watch_sends_every_change_then_NotServing_and_ends_when_the_server_drains_without_holding_the_drain_open()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp);
        await using RpcClient client = await host.ConnectAsync();
        IRpcHealth health = client.CreateProxy<IRpcHealth>();
        using var timeout = new CancellationTokenSource(TestHost.Timeout);
        await using IAsyncEnumerator<RpcHealthStatus> watch = health.WatchAsync("", timeout.Token).GetAsyncEnumerator(timeout.Token);

        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(RpcHealthStatus.Serving, watch.Current);

        host.Server.Health.SetStatus("", RpcHealthStatus.NotServing);
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(RpcHealthStatus.NotServing, watch.Current);
        host.Server.Health.SetStatus("", RpcHealthStatus.Serving);
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(RpcHealthStatus.Serving, watch.Current);

        // A drain with a grace period far longer than the test: it ends quickly only because the watch ends.
        Task drain = host.Server.StopAsync(CancellationToken.None);
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(RpcHealthStatus.NotServing, watch.Current);
        Assert.False(await watch.MoveNextAsync());
        await drain.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Check_reads_NotServing_as_soon_as_the_drain_starts_while_a_call_is_still_in_flight()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Unix);
        await using RpcClient client = await host.ConnectAsync();
        IRpcHealth health = client.CreateProxy<IRpcHealth>();
        IStreamingService streaming = client.CreateProxy<IStreamingService>();
        using var stop = new CancellationTokenSource();
        await using IAsyncEnumerator<int> forever = streaming.ForeverAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        Assert.True(await forever.MoveNextAsync());

        Task drain = host.Server.StopAsync(CancellationToken.None);
        Assert.Equal(RpcHealthStatus.NotServing, await host.Server.Health.CheckAsync(""));
        Assert.True(host.Server.Health.IsDraining);
        stop.Cancel();
        await drain.WaitAsync(TestHost.Timeout);
    }
}
