using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Rpc.Hosting.Tests;

public sealed class ScopePerCallTests
{
    [Fact]
    public async Task Each_call_is_served_from_a_new_scope_that_is_disposed_when_the_call_ends()
    {
        using IHost host = TestHosts.BuildServerAndClient(TestHosts.NewUnixEndpoint());
        await host.StartAsync();
        var greeter = host.Services.GetRequiredService<ITestGreeter>();
        ProbeLog log = host.Services.GetRequiredService<ProbeLog>();

        var probes = new HashSet<int>();
        var services = new HashSet<int>();
        for (int i = 0; i < 3; i++)
        {
            Greeting reply = await greeter.HelloAsync("scope");
            // The scope ends before the response is sent: once the client has the reply, it is gone.
            Assert.True(log.Disposed.ContainsKey(reply.ProbeId), $"The scope of call {i} was not disposed.");
            probes.Add(reply.ProbeId);
            services.Add(reply.ServiceId);
        }

        Assert.Equal(3, probes.Count);
        Assert.Equal(3, services.Count);
        await host.StopAsync();
    }

    [Fact]
    public async Task Calls_that_carry_a_context_get_and_end_their_scope_the_same_way()
    {
        // A deadline on every call gives each one an RpcContext on the server: the other path through the dispatcher.
        using IHost host = TestHosts.BuildServerAndClient(TestHosts.NewUnixEndpoint(), client: options => options.Client.DefaultTimeout = TimeSpan.FromSeconds(30));
        await host.StartAsync();
        var greeter = host.Services.GetRequiredService<ITestGreeter>();
        ProbeLog log = host.Services.GetRequiredService<ProbeLog>();

        Greeting first = await greeter.HelloAsync("a");
        Assert.True(log.Disposed.ContainsKey(first.ProbeId));
        Greeting second = await greeter.HelloAsync("b");
        Assert.True(log.Disposed.ContainsKey(second.ProbeId));

        Assert.NotEqual(first.ProbeId, second.ProbeId);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_streaming_call_keeps_its_scope_until_the_stream_ends()
    {
        using IHost host = TestHosts.BuildServerAndClient(TestHosts.NewUnixEndpoint());
        await host.StartAsync();
        var greeter = host.Services.GetRequiredService<ITestGreeter>();
        ProbeLog log = host.Services.GetRequiredService<ProbeLog>();

        var items = new List<Greeting>();
        await foreach (Greeting item in greeter.StreamUntilReleasedAsync())
        {
            if (items.Count == 0)
            {
                // The server waits for the gate: its stream, and so its scope, is still open.
                Assert.False(log.Disposed.ContainsKey(item.ProbeId), "The scope ended while the stream was still running.");
                log.StreamGate.SetResult();
            }
            items.Add(item);
        }

        Assert.Equal(["first", "second"], items.Select(i => i.Message));
        Assert.Single(items.Select(i => i.ProbeId).Distinct());
        Assert.True(log.Disposed.ContainsKey(items[0].ProbeId), "The scope was not disposed when the stream ended.");
        await host.StopAsync();
    }

    [Fact]
    public async Task A_singleton_registration_serves_every_call_with_one_instance()
    {
        using IHost host = TestHosts.BuildServerAndClient(TestHosts.NewUnixEndpoint());
        await host.StartAsync();
        var counter = host.Services.GetRequiredService<ITestCounter>();

        Assert.Equal(1, await counter.NextAsync());
        Assert.Equal(2, await counter.NextAsync());
        Assert.Equal(3, await counter.NextAsync());
        // The instance the server uses is the container's singleton.
        Assert.Equal(4, await host.Services.GetRequiredService<TestCounterService>().NextAsync());
        await host.StopAsync();
    }

    [Fact]
    public async Task A_service_that_cannot_be_made_fails_its_call_with_Unknown_and_the_server_goes_on()
    {
        string endpoint = TestHosts.NewUnixEndpoint();
        using IHost host = TestHosts.Build(services =>
        {
            services.AddRpcServer(options =>
            {
                options.Endpoints.Add(endpoint);
                options.Server.IncludeExceptionDetails = true;
            })
                .AddService<ITestGreeter, BrokenGreeterService>()
                .AddService<ITestCounter, TestCounterService>();
            services.AddRpcClient<ITestGreeter>(options => options.Address = endpoint);
            services.AddRpcClient<ITestCounter>(options => options.Address = endpoint);
        });
        await host.StartAsync();

        var failure = await Assert.ThrowsAsync<RpcException>(() => host.Services.GetRequiredService<ITestGreeter>().HelloAsync("x").AsTask());

        Assert.Equal(RpcStatusCode.Unknown, failure.StatusCode);
        Assert.Contains("This service cannot be made.", failure.ServerDetail);
        Assert.Equal(1, await host.Services.GetRequiredService<ITestCounter>().NextAsync());
        await host.StopAsync();
    }
}
