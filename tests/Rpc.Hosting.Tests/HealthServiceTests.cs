using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Rpc.Health;

namespace Rpc.Hosting.Tests;

public sealed class HealthServiceTests
{
    [Fact]
    public async Task The_hosted_server_answers_IRpcHealth_from_the_hosts_health_checks()
    {
        var database = new Switch();
        string endpoint = TestHosts.NewUnixEndpoint();
        using IHost host = TestHosts.BuildServerAndClient(endpoint, services =>
        {
            services.AddHealthChecks().AddCheck("database", () => database.Healthy ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("down"));
            services.Configure<HealthCheckPublisherOptions>(options =>
            {
                options.Delay = TimeSpan.Zero;
                options.Period = TimeSpan.FromSeconds(1);   // the shortest period allowed
            });
            services.AddRpcClient<IRpcHealth>(options => options.Address = endpoint);
        });
        await host.StartAsync();
        IRpcHealth health = host.Services.GetRequiredService<IRpcHealth>();
        Assert.Equal(RpcHealthStatus.Serving, await health.CheckAsync(""));
        Assert.Equal(RpcHealthStatus.Serving, await health.CheckAsync(typeof(ITestGreeter).FullName!));

        database.Healthy = false;
        await EventuallyAsync(async () => await health.CheckAsync("") == RpcHealthStatus.NotServing);
        database.Healthy = true;
        await EventuallyAsync(async () => await health.CheckAsync("") == RpcHealthStatus.Serving);
        await host.StopAsync();
    }

    [Fact]
    public async Task An_open_Watch_ends_with_NotServing_when_the_host_stops_and_does_not_hold_the_stop()
    {
        string endpoint = TestHosts.NewUnixEndpoint();
        using IHost server = TestHosts.Build(services => services.AddRpcServer(options =>
        {
            options.Endpoints.Add(endpoint);
            options.Server.ShutdownTimeout = TimeSpan.FromSeconds(30);
        }).AddService<ITestCounter, TestCounterService>());
        using IHost client = TestHosts.Build(services => services.AddRpcClient<IRpcHealth>(options => options.Address = endpoint));
        await server.StartAsync();
        await client.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<RpcHealthStatus>();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task watching = Task.Run(async () =>
        {
            await foreach (RpcHealthStatus status in client.Services.GetRequiredService<IRpcHealth>().WatchAsync("", timeout.Token))
            {
                seen.Add(status);
                first.TrySetResult();
            }
        });
        await first.Task.WaitAsync(timeout.Token);

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await server.StopAsync(timeout.Token);
        await watching.WaitAsync(timeout.Token);

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), $"the stop took {stopping.Elapsed}");
        Assert.Equal([RpcHealthStatus.Serving, RpcHealthStatus.NotServing], seen);
        await client.StopAsync();
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition never held.");
            await Task.Delay(20);
        }
    }

    private sealed class Switch
    {
        public volatile bool Healthy = true;
    }
}
