using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Rpc.Hosting.Tests;

public sealed class OptionsTests
{
    [Fact]
    public async Task Every_option_comes_from_configuration_when_no_delegate_is_given()
    {
        string endpoint = TestHosts.NewUnixEndpoint();
        var configuration = new Dictionary<string, string?>
        {
            ["Rpc:Server:Endpoints:0"] = endpoint,
            ["Rpc:Server:MaxFrameSize"] = "65536",
            ["Rpc:Server:ShutdownTimeout"] = "00:00:07",
            ["Rpc:Server:IncludeExceptionDetails"] = "true",
            ["Rpc:Server:MaxConcurrentCallsPerConnection"] = "123",
            ["Rpc:Server:AlwaysCreateContext"] = "true",
            ["Rpc:Server:EnableDescription"] = "true",
            ["Rpc:Clients:TestGreeter:Address"] = endpoint,
            ["Rpc:Clients:TestGreeter:DefaultTimeout"] = "00:00:09",
            ["Rpc:Clients:TestGreeter:MaxFrameSize"] = "32768",
            ["Rpc:Clients:TestGreeter:ConnectTimeout"] = "00:00:03",
        };
        using IHost host = TestHosts.Build(services =>
        {
            services.AddSingleton<ProbeLog>();
            services.AddScoped<ScopedProbe>();
            services.AddRpcServer().AddService<ITestGreeter, TestGreeterService>();
            services.AddRpcClient<ITestGreeter>();
        }, configuration);

        RpcHostedServerOptions server = host.Services.GetRequiredService<IOptions<RpcHostedServerOptions>>().Value;
        Assert.Equal([endpoint], server.Endpoints);
        Assert.Equal(65536, server.Server.MaxFrameSize);
        Assert.Equal(TimeSpan.FromSeconds(7), server.Server.ShutdownTimeout);
        Assert.True(server.Server.IncludeExceptionDetails);
        Assert.Equal(123, server.Server.MaxConcurrentCallsPerConnection);
        Assert.True(server.Server.AlwaysCreateContext);
        Assert.True(server.Server.EnableDescription);

        RpcHostedClientOptions client = host.Services.GetRequiredService<IOptionsMonitor<RpcHostedClientOptions>>().Get("TestGreeter");
        Assert.Equal(endpoint, client.Address);
        Assert.Equal(TimeSpan.FromSeconds(9), client.Client.DefaultTimeout);
        Assert.Equal(32768, client.Client.MaxFrameSize);
        Assert.Equal(TimeSpan.FromSeconds(3), client.Client.ConnectTimeout);

        // And the host runs on them.
        await host.StartAsync();
        Assert.Equal("Hello, config!", (await host.Services.GetRequiredService<ITestGreeter>().HelloAsync("config")).Message);
        await host.StopAsync();
    }

    [Fact]
    public void The_delegate_runs_after_configuration_and_wins()
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Rpc:Server:Endpoints:0"] = "tcp://127.0.0.1:5000",
            ["Rpc:Server:MaxFrameSize"] = "65536",
            ["Rpc:Clients:Orders:Address"] = "tcp://127.0.0.1:5000",
            ["Rpc:Clients:Orders:MaxFrameSize"] = "1000",
        };
        using IHost host = TestHosts.Build(services =>
        {
            services.AddRpcServer(options =>
            {
                options.Endpoints.Add("unix:/tmp/also.sock");
                options.Server.MaxFrameSize = 131072;
            });
            services.AddRpcClient<ITestCounter>("Orders", options => options.Client.MaxFrameSize = 2000);
        }, configuration);

        RpcHostedServerOptions server = host.Services.GetRequiredService<IOptions<RpcHostedServerOptions>>().Value;
        Assert.Equal(["tcp://127.0.0.1:5000", "unix:/tmp/also.sock"], server.Endpoints);
        Assert.Equal(131072, server.Server.MaxFrameSize);
        RpcHostedClientOptions client = host.Services.GetRequiredService<IOptionsMonitor<RpcHostedClientOptions>>().Get("Orders");
        Assert.Equal("tcp://127.0.0.1:5000", client.Address);
        Assert.Equal(2000, client.Client.MaxFrameSize);
    }

    [Fact]
    public void A_typed_client_is_named_after_its_interface_without_the_leading_I()
    {
        Assert.Equal("TestGreeter", RpcHostingConfiguration.ClientName<ITestGreeter>());
        Assert.Equal("Rpc:Clients:TestGreeter", RpcHostingConfiguration.ClientSection("TestGreeter"));
    }

    [Theory]
    [InlineData("tcp://127.0.0.1", "Rpc:Server:Endpoints:0: \"tcp://127.0.0.1\" has no port")]
    [InlineData("http://127.0.0.1:80", "has no known scheme")]
    [InlineData("tcp://127.0.0.1:99999", "not a number from 0 to 65535")]
    [InlineData("tcp://::1:5000", "IPv6 address without brackets")]
    [InlineData("unix:", "has no socket path")]
    public async Task A_bad_endpoint_is_refused_at_start_with_a_message_naming_it(string endpoint, string expected)
    {
        using IHost host = TestHosts.Build(services => services.AddRpcServer(options => options.Endpoints.Add(endpoint)));

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, refused.Message);
        Assert.Equal(RpcHostedServerState.NotStarted, host.Services.GetRequiredService<RpcHostedServer>().State);
    }

    [Fact]
    public async Task A_server_without_endpoints_is_refused_at_start()
    {
        using IHost host = TestHosts.Build(services => services.AddRpcServer());

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Rpc:Server:Endpoints is empty", refused.Message);
    }

    [Fact]
    public async Task A_server_option_out_of_its_range_is_refused_at_start_with_its_configuration_key()
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Rpc:Server:Endpoints:0"] = TestHosts.NewUnixEndpoint(),
            ["Rpc:Server:StreamWindowSize"] = "10",
        };
        using IHost host = TestHosts.Build(services => services.AddRpcServer(), configuration);

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Rpc:Server:StreamWindowSize is out of range", refused.Message);
    }

    [Fact]
    public async Task A_value_that_is_not_of_the_options_type_is_refused_at_start_with_its_key()
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Rpc:Server:Endpoints:0"] = TestHosts.NewUnixEndpoint(),
            ["Rpc:Server:MaxFrameSize"] = "four megabytes",
        };
        using IHost host = TestHosts.Build(services => services.AddRpcServer(), configuration);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("Rpc:Server:MaxFrameSize", refused.Message);
    }

    [Fact]
    public async Task A_typed_client_without_an_address_is_refused_at_start()
    {
        using IHost host = TestHosts.Build(services => services.AddRpcClient<ITestGreeter>());

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Rpc:Clients:TestGreeter:Address is not set", refused.Message);
    }

    [Fact]
    public async Task A_typed_client_with_a_bad_address_is_refused_at_start()
    {
        var configuration = new Dictionary<string, string?> { ["Rpc:Clients:TestGreeter:Address"] = "127.0.0.1:5000" };
        using IHost host = TestHosts.Build(services => services.AddRpcClient<ITestGreeter>(), configuration);

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Rpc:Clients:TestGreeter:Address: \"127.0.0.1:5000\" has no known scheme", refused.Message);
    }

    [Fact]
    public async Task A_server_that_cannot_listen_fails_the_start_and_says_where()
    {
        // A socket path in a directory that does not exist.
        string endpoint = "unix:/nonexistent-rpc-dir/" + Guid.NewGuid().ToString("N") + ".sock";
        using IHost host = TestHosts.Build(services => services.AddRpcServer(options => options.Endpoints.Add(endpoint)));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains($"cannot listen on \"{endpoint}\"", refused.Message);
    }
}
