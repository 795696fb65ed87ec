using System;
using System.Net;
using System.Net.Sockets;
using Rpc.Discovery;
using Xunit;

namespace Rpc.Tests.Discovery;

public sealed class RpcEndPointParserTests
{
    [Theory]
    [InlineData("127.0.0.1:5050")]
    [InlineData("tcp://127.0.0.1:5050")]
    [InlineData("http://127.0.0.1:5050")]
    [InlineData("https://127.0.0.1:5050/")]
    [InlineData("  TCP://127.0.0.1:5050  ")]
    public void An_ip_address_with_a_port_gives_an_ip_endpoint(string address)
    {
        EndPoint endPoint = RpcEndPointParser.Parse(address);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5050), endPoint);
        Assert.Equal("127.0.0.1:5050", RpcEndPointParser.Format(endPoint));
    }

    [Theory]
    [InlineData("[::1]:6000")]
    [InlineData("tcp://[::1]:6000")]
    public void A_bracketed_ipv6_address_gives_an_ipv6_endpoint(string address)
    {
        EndPoint endPoint = RpcEndPointParser.Parse(address);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 6000), endPoint);
        Assert.Equal("[::1]:6000", RpcEndPointParser.Format(endPoint));
    }

    [Theory]
    [InlineData("orders.internal:7000")]
    [InlineData("tcp://orders.internal:7000")]
    [InlineData("http://orders.internal:7000")]
    public void A_host_name_gives_a_dns_endpoint(string address)
    {
        EndPoint endPoint = RpcEndPointParser.Parse(address);
        DnsEndPoint dns = Assert.IsType<DnsEndPoint>(endPoint);
        Assert.Equal("orders.internal", dns.Host);
        Assert.Equal(7000, dns.Port);
        Assert.Equal("orders.internal:7000", RpcEndPointParser.Format(endPoint));
    }

    [Theory]
    [InlineData("unix:/tmp/rpc.sock")]
    [InlineData("unix:///tmp/rpc.sock")]
    [InlineData("UNIX:/tmp/rpc.sock")]
    public void A_unix_address_gives_a_unix_domain_socket_endpoint(string address)
    {
        EndPoint endPoint = RpcEndPointParser.Parse(address);
        Assert.IsType<UnixDomainSocketEndPoint>(endPoint);
        Assert.Equal("/tmp/rpc.sock", endPoint.ToString());
        Assert.Equal("unix:/tmp/rpc.sock", RpcEndPointParser.Format(endPoint));
    }

    [Theory]
    [InlineData("127.0.0.1:5050")]
    [InlineData("[::1]:5050")]
    [InlineData("some-host:1")]
    [InlineData("unix:/var/run/a.sock")]
    public void Format_and_parse_round_trip(string address) =>
        Assert.Equal(address, RpcEndPointParser.Format(RpcEndPointParser.Parse(address)));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("localhost", "port is missing")]
    [InlineData("localhost:", "not a port number")]
    [InlineData("localhost:70000", "not a port number")]
    [InlineData("localhost:-1", "not a port number")]
    [InlineData(":5050", "host is missing")]
    [InlineData("ftp://localhost:21", "scheme 'ftp'")]
    [InlineData("::1:5050", "brackets")]
    [InlineData("[::1]", "[address]:port")]
    [InlineData("[nope]:5050", "not an IPv6 address")]
    [InlineData("bad host:5050", "not a host name")]
    [InlineData("unix:", "socket path")]
    public void A_malformed_address_fails_with_a_message_that_says_why(string address, string reason)
    {
        FormatException e = Assert.Throws<FormatException>(() => RpcEndPointParser.Parse(address));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.False(RpcEndPointParser.TryParse(address, out _));
    }

    [Fact]
    public void TryParse_of_null_is_false() => Assert.False(RpcEndPointParser.TryParse(null, out _));
}
