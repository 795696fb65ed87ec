using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Rpc.Discovery;
using Xunit;

namespace Rpc.Etcd.Tests;

public sealed class EtcdInstanceCodecTests
{
    [Fact]
    public void An_instance_survives_encoding_and_decoding()
    {
        var instance = new RpcServiceInstance("orders", new UnixDomainSocketEndPoint("/run/orders.sock"))
        {
            Id = "node-\"7\"",
            Weight = 3,
            Metadata = new Dictionary<string, string> { ["zone"] = "eu-1", ["version"] = "1.2" },
        };
        Assert.Equal(instance, EtcdInstanceCodec.Decode("orders", EtcdInstanceCodec.Encode(instance)));
    }

    [Fact]
    public void Unknown_properties_are_skipped_and_missing_ones_default()
    {
        byte[] json = Encoding.UTF8.GetBytes("""{"address":"10.0.0.1:80","zone":{"nested":[1,2]},"extra":true}""");
        RpcServiceInstance instance = EtcdInstanceCodec.Decode("orders", json);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 80), instance.EndPoint);
        Assert.Equal("10.0.0.1:80", instance.Id);
        Assert.Equal(100, instance.Weight);
        Assert.Empty(instance.Metadata);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1]")]
    [InlineData("""{"id":"x"}""")]
    [InlineData("""{"address":"nowhere"}""")]
    [InlineData("""{"address":"10.0.0.1:80","weight":0}""")]
    [InlineData("""{"address":"10.0.0.1:80","metadata":{"a":1}}""")]
    public void A_value_that_is_not_an_instance_fails_with_a_format_exception(string json) =>
        Assert.Throws<FormatException>(() => EtcdInstanceCodec.Decode("orders", Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void Service_names_with_the_separator_are_escaped_in_keys()
    {
        Assert.Equal("/p/orders/", EtcdKeys.ServicePrefix("/p/", "orders"));
        Assert.Equal("/p/a%2Fb%25c/id", EtcdKeys.InstanceKey("/p/", "a/b%c", "id"));
        Assert.Equal("/p/orders0", EtcdKeys.RangeEnd("/p/orders/").ToStringUtf8());
    }
}
