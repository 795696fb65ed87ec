using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Rpc.Hosting.Tests;

public sealed class TypedClientTests
{
    [Fact]
    public async Task An_unreachable_server_does_not_fail_the_start_and_calls_fail_with_Unavailable()
    {
        string endpoint = TestHosts.NewUnixEndpoint();
        using IHost host = TestHosts.Build(services => services.AddRpcClient<ITestGreeter>(options => options.Address = endpoint));
        await host.StartAsync();

        var failure = await Assert.ThrowsAsync<RpcException>(() => host.Services.GetRequiredService<ITestGreeter>().HelloAsync("anyone").AsTask());

        Assert.Equal(RpcStatusCode.Unavailable, failure.StatusCode);
        Assert.Contains(endpoint, failure.Message);
        await host.StopAsync();
    }

    [Fact]
    public async Task Typed_clients_of_one_address_share_one_connection_and_are_singletons()
    {
        using IHost host = TestHosts.BuildServerAndClient(TestHosts.NewUnixEndpoint());
        await host.StartAsync();
        RpcClientConnections connections = host.Services.GetRequiredService<RpcClientConnections>();

        Assert.Same(connections.Get("TestGreeter"), connections.Get("TestCounter"));
        Assert.True(connections.Get("TestGreeter").IsConnected);
        Assert.Same(host.Services.GetRequiredService<ITestGreeter>(), host.Services.GetRequiredService<ITestGreeter>());
        await host.StopAsync();
    }

    [Fact]
    public async Task A_client_reconnects_once_its_server_is_back()
    {
        string endpoint = TestHosts.NewUnixEndpoint();
        using IHost client = TestHosts.Build(services => services.AddRpcClient<ITestCounter>(options => options.Address = endpoint));
        var counter = client.Services.GetRequiredService<ITestCounter>();

        using (IHost first = BuildCounterServer(endpoint))
        {
            await first.StartAsync();
            await client.StartAsync();
            Assert.Equal(1, await counter.NextAsync());
            await first.StopAsync();
        }
        await Assert.ThrowsAsync<RpcException>(() => counter.NextAsync().AsTask());

        using IHost second = BuildCounterServer(endpoint);
        await second.StartAsync();
        // The next connection is made in the background, at most a second after the last failed attempt.
        int next = 0;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (next == 0)
        {
            try
            {
                next = await counter.NextAsync();
            }
            catch (RpcException e) when (e.StatusCode == RpcStatusCode.Unavailable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
        Assert.Equal(1, next);
        await second.StopAsync();
        await client.StopAsync();
    }

    [Fact]
    public async Task A_typed_client_used_without_a_running_host_connects_on_its_first_call()
    {
        string endpoint = TestHosts.NewUnixEndpoint();
        using IHost server = BuildCounterServer(endpoint);
        await server.StartAsync();
        var services = new ServiceCollection();
        services.AddRpcClient<ITestCounter>(options => options.Address = endpoint);
        await using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Equal(1, await provider.GetRequiredService<ITestCounter>().NextAsync());
        await server.StopAsync();
    }

    private static IHost BuildCounterServer(string endpoint) =>
        TestHosts.Build(services => services.AddRpcServer(options =>
        {
            options.Endpoints.Add(endpoint);
            options.Server.ShutdownTimeout = TimeSpan.FromSeconds(1);
        }).AddService<ITestCounter, TestCounterService>());
}
