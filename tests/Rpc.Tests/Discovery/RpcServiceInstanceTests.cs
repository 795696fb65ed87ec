using System;
using System.Collections.Generic;
using System.Net;
using Rpc.Discovery;
using Xunit;

namespace Rpc.Tests.Discovery;

public sealed class RpcServiceInstanceTests
{
    private static readonly IPEndPoint Address = new(IPAddress.Loopback, 5050);

    [Fact]
    public void The_defaults_are_the_endpoints_text_as_id_weight_100_and_empty_metadata()
    {
        var instance = new RpcServiceInstance("orders", Address);
        Assert.Equal("127.0.0.1:5050", instance.Id);
        Assert.Equal(100, instance.Weight);
        Assert.NotNull(instance.Metadata);
        Assert.Empty(instance.Metadata);
    }

    [Fact]
    public void The_default_id_follows_the_endpoint_through_with()
    {
        var instance = new RpcServiceInstance("orders", Address);
        RpcServiceInstance moved = instance with { EndPoint = new DnsEndPoint("db", 1) };
        Assert.Equal("db:1", moved.Id);
        RpcServiceInstance named = instance with { Id = "node-1" };
        Assert.Equal("node-1", (named with { EndPoint = new DnsEndPoint("db", 1) }).Id);
    }

    [Fact]
    public void Equality_compares_metadata_by_content()
    {
        var a = new RpcServiceInstance("orders", Address) { Metadata = new Dictionary<string, string> { ["zone"] = "a" } };
        var b = new RpcServiceInstance("orders", new IPEndPoint(IPAddress.Parse("127.0.0.1"), 5050))
        {
            Metadata = new Dictionary<string, string> { ["zone"] = "a" },
        };
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { Metadata = new Dictionary<string, string> { ["zone"] = "b" } });
        Assert.NotEqual(a, b with { Weight = 5 });
        Assert.NotEqual(a, b with { Id = "x" });
    }

    [Fact]
    public void The_metadata_is_a_copy_of_the_dictionary_given()
    {
        var metadata = new Dictionary<string, string> { ["zone"] = "a" };
        var instance = new RpcServiceInstance("orders", Address) { Metadata = metadata };
        metadata["zone"] = "b";
        Assert.Equal("a", instance.Metadata["zone"]);
    }

    [Fact]
    public void Invalid_values_are_rejected_with_argument_exceptions()
    {
        Assert.Throws<ArgumentException>(() => new RpcServiceInstance("", Address));
        Assert.Throws<ArgumentNullException>(() => new RpcServiceInstance("orders", null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RpcServiceInstance("orders", Address) { Weight = 0 });
        Assert.Throws<ArgumentException>(() => new RpcServiceInstance("orders", Address) { Id = " " });
        Assert.Throws<ArgumentNullException>(() => new RpcServiceInstance("orders", Address) { Metadata = null! });
    }
}
