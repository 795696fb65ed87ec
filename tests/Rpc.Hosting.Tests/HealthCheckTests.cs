using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Rpc.Hosting.Tests;

public sealed class HealthCheckTests
{
    [Fact]
    public async Task The_server_is_healthy_only_while_it_listens()
    {
        using IHost host = TestHosts.BuildServerAndClient(TestHosts.NewUnixEndpoint(), services => services.AddHealthChecks().AddRpcServer());
        HealthCheckService health = host.Services.GetRequiredService<HealthCheckService>();

        Assert.Equal(HealthStatus.Unhealthy, (await health.CheckHealthAsync()).Status);
        await host.StartAsync();
        HealthReport listening = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, listening.Status);
        Assert.Equal(HealthStatus.Healthy, listening.Entries["rpc-server"].Status);
        await host.StopAsync();
        HealthReport stopped = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, stopped.Status);
        Assert.Equal("The Rpc server has stopped.", stopped.Entries["rpc-server"].Description);
    }

    [Fact]
    public async Task The_server_turns_unhealthy_as_soon_as_it_starts_draining()
    {
        using IHost host = TestHosts.BuildServerAndClient(TestHosts.NewUnixEndpoint(), services => services.AddHealthChecks().AddRpcServer("rpc", HealthStatus.Degraded));
        HealthCheckService health = host.Services.GetRequiredService<HealthCheckService>();
        await host.StartAsync();
        ProbeLog log = host.Services.GetRequiredService<ProbeLog>();
        Task running = log.WaitForRunning(1);
        Task<int> call = host.Services.GetRequiredService<ITestGreeter>().SlowAsync(1000).AsTask();
        await running.WaitAsync(TimeSpan.FromSeconds(10));

        Task stop = host.StopAsync();
        HealthReport draining = await health.CheckHealthAsync();

        Assert.False(call.IsCompleted, "The call should still be in flight while the server drains.");
        Assert.Equal(HealthStatus.Degraded, draining.Entries["rpc"].Status);
        Assert.Contains("stopping", draining.Entries["rpc"].Description);
        await stop;
        Assert.Equal(1000, await call);
    }

    [Fact]
    public async Task Without_a_server_the_check_says_what_is_missing()
    {
        using IHost host = TestHosts.Build(services => services.AddHealthChecks().AddRpcServer());

        HealthReport report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("AddRpcServer", report.Entries["rpc-server"].Description);
    }
}
