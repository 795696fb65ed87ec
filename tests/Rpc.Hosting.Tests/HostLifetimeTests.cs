using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Rpc.Hosting.Tests;

public sealed class HostLifetimeTests
{
    [Fact]
    public async Task A_started_host_serves_calls_through_an_injected_typed_client()
    {
        using IHost host = TestHosts.BuildServerAndClient(TestHosts.NewUnixEndpoint());
        await host.StartAsync();

        Greeting reply = await host.Services.GetRequiredService<ITestGreeter>().HelloAsync("World");

        Assert.Equal("Hello, World!", reply.Message);
        Assert.Equal(RpcHostedServerState.Listening, host.Services.GetRequiredService<RpcHostedServer>().State);
        await host.StopAsync();
        Assert.Equal(RpcHostedServerState.Stopped, host.Services.GetRequiredService<RpcHostedServer>().State);
    }

    [Fact]
    public async Task Stopping_the_host_as_SIGTERM_does_lets_every_call_in_flight_complete()
    {
        string endpoint = TestHosts.NewUnixEndpoint();
        using IHost host = TestHosts.Build(services =>
        {
            services.AddSingleton<ProbeLog>();
            services.AddScoped<ScopedProbe>();
            services.AddRpcServer(options => options.Endpoints.Add(endpoint)).AddService<ITestGreeter, TestGreeterService>();
        });
        IHostApplicationLifetime lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        ProbeLog log = host.Services.GetRequiredService<ProbeLog>();
        RpcHostedServer server = host.Services.GetRequiredService<RpcHostedServer>();
        Task run = host.RunAsync();
        await WaitAsync(lifetime.ApplicationStarted);
        // The callers are another process's, as in production: a client host of their own that outlives the server's.
        using IHost clients = TestHosts.Build(services => services.AddRpcClient<ITestGreeter>(options => options.Address = endpoint));
        await clients.StartAsync();
        var greeter = clients.Services.GetRequiredService<ITestGreeter>();

        Task allRunning = log.WaitForRunning(20);
        Task<int>[] calls = Enumerable.Range(0, 20).Select(_ => greeter.SlowAsync(300).AsTask()).ToArray();
        await allRunning.WaitAsync(TimeSpan.FromSeconds(10));
        // What the console lifetime does on SIGTERM or Ctrl+C.
        lifetime.StopApplication();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        foreach (Task<int> call in calls)
        {
            Assert.Equal(300, await call);
        }
        Assert.Equal(0, log.Running);
        Assert.Equal(RpcHostedServerState.Stopped, server.State);
        // Stopped means stopped: the next call finds no server.
        Assert.Equal(RpcStatusCode.Unavailable, (await Assert.ThrowsAsync<RpcException>(() => greeter.HelloAsync("late").AsTask())).StatusCode);
        await clients.StopAsync();
    }

    [Fact]
    public async Task A_server_on_tcp_port_0_reports_the_port_it_got_and_a_client_in_another_host_calls_it()
    {
        using IHost server = TestHosts.Build(services =>
        {
            services.AddSingleton<ProbeLog>();
            services.AddScoped<ScopedProbe>();
            services.AddRpcServer(options => options.Endpoints.Add("tcp://127.0.0.1:0")).AddService<ITestGreeter, TestGreeterService>();
        });
        await server.StartAsync();
        var bound = Assert.IsType<IPEndPoint>(Assert.Single(server.Services.GetRequiredService<RpcHostedServer>().EndPoints));
        Assert.NotEqual(0, bound.Port);

        using IHost client = TestHosts.Build(services => services.AddRpcClient<ITestGreeter>(options => options.Address = $"tcp://127.0.0.1:{bound.Port}"));
        await client.StartAsync();
        Greeting reply = await client.Services.GetRequiredService<ITestGreeter>().HelloAsync("TCP");

        Assert.Equal("Hello, TCP!", reply.Message);
        await client.StopAsync();
        await server.StopAsync();
    }

    [Fact]
    public async Task Services_added_to_the_builder_twice_run_in_one_server()
    {
        string endpoint = TestHosts.NewUnixEndpoint();
        using IHost host = TestHosts.Build(services =>
        {
            services.AddRpcServer(options => options.Endpoints.Add(endpoint)).AddService<ITestCounter, TestCounterService>();
            services.AddRpcServer().AddService<ITestGreeter, TestGreeterService>();
            services.AddSingleton<ProbeLog>();
            services.AddScoped<ScopedProbe>();
            services.AddRpcClient<ITestGreeter>(options => options.Address = endpoint);
            services.AddRpcClient<ITestCounter>(options => options.Address = endpoint);
        });
        await host.StartAsync();

        Assert.Equal("Hello, again!", (await host.Services.GetRequiredService<ITestGreeter>().HelloAsync("again")).Message);
        Assert.Equal(1, await host.Services.GetRequiredService<ITestCounter>().NextAsync());
        Assert.Single(host.Services.GetRequiredService<RpcHostedServer>().EndPoints);
        await host.StopAsync();
    }

    private static Task WaitAsync(CancellationToken token)
    {
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.Register(() => fired.TrySetResult());
        return fired.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
