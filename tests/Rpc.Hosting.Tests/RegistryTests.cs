using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Rpc.Discovery;

namespace Rpc.Hosting.Tests;

public sealed class RegistryTests
{
    [Fact]
    public async Task A_server_registers_from_configuration_a_typed_client_finds_it_by_service_name_and_the_stop_removes_it_first()
    {
        var registry = new InMemoryServiceRegistry();
        string endpoint = TestHosts.NewUnixEndpoint();
        using IHost server = TestHosts.Build(services =>
        {
            services.AddSingleton<IRpcServiceRegistry>(registry);
            services.AddRpcServer().AddService<ITestCounter, TestCounterService>(ServiceLifetime.Singleton);
        }, new Dictionary<string, string?>
        {
            ["Rpc:Server:Endpoints:0"] = endpoint,
            ["Rpc:Server:Registration:ServiceName"] = "counter",
            ["Rpc:Server:Registration:Metadata:zone"] = "a",
        });
        using IHost client = TestHosts.Build(services =>
        {
            services.AddSingleton<IRpcServiceRegistry>(registry);
            services.AddRpcClient<ITestCounter>();
        }, new Dictionary<string, string?> { ["Rpc:Clients:TestCounter:ServiceName"] = "counter" });

        await server.StartAsync();
        IReadOnlyList<RpcServiceInstance> registered = await FirstSetAsync(registry, "counter");
        RpcServiceInstance instance = Assert.Single(registered);
        Assert.Equal(endpoint, RpcEndPointParser.Format(instance.EndPoint));
        Assert.Equal("a", instance.Metadata["zone"]);

        await client.StartAsync();
        ITestCounter counter = client.Services.GetRequiredService<ITestCounter>();
        Assert.Equal(1, await counter.NextAsync());
        Assert.Equal(2, await counter.NextAsync());
        RpcSharedConnection shared = client.Services.GetRequiredService<RpcClientConnections>().Get("TestCounter");
        Assert.Equal("counter", shared.Client!.ServiceName);

        await server.StopAsync();
        Assert.Empty(await FirstSetAsync(registry, "counter"));
        await client.StopAsync();
    }

    [Fact]
    public async Task A_service_name_without_a_registry_is_refused_at_start_for_clients_and_servers()
    {
        using IHost clientHost = TestHosts.Build(services => services.AddRpcClient<ITestCounter>(options => options.ServiceName = "counter"));
        var clientFailure = await Assert.ThrowsAsync<OptionsValidationException>(() => clientHost.StartAsync());
        Assert.Contains("Rpc:Clients:TestCounter:ServiceName", clientFailure.Message);
        Assert.Contains("IRpcServiceRegistry", clientFailure.Message);

        using IHost serverHost = TestHosts.Build(services => services.AddRpcServer(options =>
        {
            options.Endpoints.Add(TestHosts.NewUnixEndpoint());
            options.Registration.ServiceName = "counter";
        }).AddService<ITestCounter, TestCounterService>());
        var serverFailure = await Assert.ThrowsAsync<OptionsValidationException>(() => serverHost.StartAsync());
        Assert.Contains("Rpc:Server:Registration:ServiceName", serverFailure.Message);
    }

    [Fact]
    public async Task Address_and_service_name_together_are_refused_at_start()
    {
        using IHost host = TestHosts.Build(services =>
        {
            services.AddSingleton<IRpcServiceRegistry>(new InMemoryServiceRegistry());
            services.AddRpcClient<ITestCounter>(options =>
            {
                options.Address = TestHosts.NewUnixEndpoint();
                options.ServiceName = "counter";
            });
        });
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("both Address", failure.Message);
    }

    private static async Task<IReadOnlyList<RpcServiceInstance>> FirstSetAsync(IRpcServiceRegistry registry, string serviceName)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (IReadOnlyList<RpcServiceInstance> set in registry.WatchAsync(serviceName, timeout.Token))
        {
            return set;
        }
        throw new InvalidOperationException("The watch ended.");
    }
}
