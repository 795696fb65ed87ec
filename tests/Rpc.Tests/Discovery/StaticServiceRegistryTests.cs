using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Rpc.Discovery;
using Xunit;

namespace Rpc.Tests.Discovery;

public sealed class StaticServiceRegistryTests
{
    [Fact]
    public async Task Instances_from_code_are_yielded_once_per_service_ordered_by_id()
    {
        var registry = new StaticServiceRegistry(
        [
            new RpcServiceInstance("orders", new IPEndPoint(IPAddress.Loopback, 2)),
            new RpcServiceInstance("orders", new IPEndPoint(IPAddress.Loopback, 1)),
            new RpcServiceInstance("payments", new DnsEndPoint("pay", 3)),
        ]);
        await using var watch = new WatchReader(registry, "orders");
        Assert.Equal(["127.0.0.1:1", "127.0.0.1:2"], await watch.NextIdsAsync());
        Assert.False(await watch.YieldsWithinAsync(TimeSpan.FromMilliseconds(200)));

        await using var unknown = new WatchReader(registry, "nobody");
        Assert.Empty(await unknown.NextAsync());
    }

    [Fact]
    public async Task Configuration_in_the_service_discovery_layout_gives_one_instance_per_address()
    {
        var registry = new StaticServiceRegistry(new Dictionary<string, string?>
        {
            ["Services"] = null,
            ["Services:orders"] = null,
            ["Services:orders:rpc:0"] = "tcp://10.0.0.1:5000",
            ["Services:orders:rpc:1"] = "orders-2.internal:5000",
            ["Services:orders:http:0"] = "http://10.0.0.1:5000", // the same address again: one instance
            ["Services:Payments:default"] = "unix:/run/payments.sock",
            ["Logging:LogLevel:Default"] = "Information",
        });

        await using var orders = new WatchReader(registry, "orders");
        IReadOnlyList<RpcServiceInstance> set = await orders.NextAsync();
        Assert.Equal(["10.0.0.1:5000", "orders-2.internal:5000"], set.Select(i => i.Id));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 5000), set[0].EndPoint);
        Assert.Equal(new DnsEndPoint("orders-2.internal", 5000), set[1].EndPoint);

        // Configuration keys are case-insensitive, so service names from configuration are too.
        await using var payments = new WatchReader(registry, "payments");
        RpcServiceInstance payment = Assert.Single(await payments.NextAsync());
        Assert.IsType<UnixDomainSocketEndPoint>(payment.EndPoint);
        Assert.Equal("unix:/run/payments.sock", payment.Id);
    }

    [Fact]
    public async Task An_endpoint_name_selects_one_named_endpoint_of_each_service()
    {
        var registry = new StaticServiceRegistry(
            new Dictionary<string, string?>
            {
                ["Services:orders:rpc:0"] = "10.0.0.1:5000",
                ["Services:orders:http:0"] = "10.0.0.1:8080",
            },
            endpointName: "rpc");
        await using var watch = new WatchReader(registry, "orders");
        Assert.Equal(["10.0.0.1:5000"], await watch.NextIdsAsync());
    }

    [Fact]
    public async Task Another_section_name_can_be_read()
    {
        var registry = new StaticServiceRegistry(
            new Dictionary<string, string?> { ["Rpc:Services:orders:rpc:0"] = "10.0.0.1:5000" },
            sectionName: "Rpc:Services");
        await using var watch = new WatchReader(registry, "orders");
        Assert.Single(await watch.NextAsync());
    }

    [Fact]
    public void A_bad_address_in_configuration_fails_naming_the_key()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new StaticServiceRegistry(
            new Dictionary<string, string?> { ["Services:orders:rpc:0"] = "no-port" }));
        Assert.Contains("Services:orders:rpc:0", e.Message, StringComparison.Ordinal);
        Assert.Contains("port is missing", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ArgumentException>(() => new StaticServiceRegistry(
            new Dictionary<string, string?> { ["Services:orders:rpc:first"] = "10.0.0.1:1" }));
        Assert.Contains("non-numeric index", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_instances_of_one_service_with_one_id_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new StaticServiceRegistry(
        [
            new RpcServiceInstance("orders", new IPEndPoint(IPAddress.Loopback, 1)),
            new RpcServiceInstance("orders", new IPEndPoint(IPAddress.Loopback, 1)) { Weight = 3 },
        ]));
    }

    [Fact]
    public async Task Registering_does_nothing_and_its_handle_disposes()
    {
        var registry = new StaticServiceRegistry([]);
        IAsyncDisposable handle = await registry.RegisterAsync(new RpcServiceInstance("orders", new IPEndPoint(IPAddress.Loopback, 1)));
        await handle.DisposeAsync();
        await using var watch = new WatchReader(registry, "orders");
        Assert.Empty(await watch.NextAsync());
    }
}
