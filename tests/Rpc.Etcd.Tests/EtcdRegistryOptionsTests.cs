using System;
using Xunit;

namespace Rpc.Etcd.Tests;

public sealed class EtcdRegistryOptionsTests
{
    [Theory]
    [InlineData("", "Endpoints")]
    [InlineData("127.0.0.1:2379", "Endpoints")]
    [InlineData("http://127.0.0.1:2379,ftp://x:1", "Endpoints")]
    public void Bad_endpoints_are_rejected_naming_the_option(string endpoints, string option) =>
        AssertRejected(new EtcdRegistryOptions { Endpoints = endpoints }, option);

    [Fact]
    public void A_prefix_must_end_with_a_slash() =>
        AssertRejected(new EtcdRegistryOptions { Prefix = "/rpc/services" }, "Prefix");

    [Theory]
    [InlineData(0)]
    [InlineData(500)]
    public void A_lease_ttl_under_a_second_is_rejected(int milliseconds) =>
        AssertRejected(new EtcdRegistryOptions { LeaseTtl = TimeSpan.FromMilliseconds(milliseconds) }, "LeaseTtl");

    [Fact]
    public void A_request_timeout_must_be_positive() =>
        AssertRejected(new EtcdRegistryOptions { RequestTimeout = TimeSpan.Zero }, "RequestTimeout");

    [Fact]
    public void The_defaults_are_valid_and_the_ttl_rounds_up_to_whole_seconds()
    {
        var options = new EtcdRegistryOptions();
        options.Validate();
        Assert.Equal(10, options.LeaseTtlSeconds);
        options.LeaseTtl = TimeSpan.FromMilliseconds(2100);
        Assert.Equal(3, options.LeaseTtlSeconds);
        new EtcdRegistryOptions { Endpoints = "http://a:1, https://b:2" }.Validate();
    }

    private static void AssertRejected(EtcdRegistryOptions options, string option)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new EtcdServiceRegistry(options));
        Assert.Equal(option, e.ParamName);
        Assert.Contains(option, e.Message, StringComparison.Ordinal);
    }
}
