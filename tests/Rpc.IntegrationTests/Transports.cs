using System.Net;
using System.Net.Sockets;
using Rpc.Transport;

namespace Rpc.IntegrationTests;

/// <summary>The endpoints every end-to-end test runs over: loopback TCP, a Unix domain socket, and in-memory pipes.</summary>
public static class Transports
{
    public static IEnumerable<object[]> All() => [["tcp"], ["unix"], ["memory"]];

    public static EndPoint Create(string kind) => kind switch
    {
        "tcp" => new IPEndPoint(IPAddress.Loopback, 0),
        "unix" => new UnixDomainSocketEndPoint(Path.Combine(Path.GetTempPath(), $"rpc-it-{Guid.NewGuid():N}.sock")),
        "memory" => new InMemoryEndPoint("it-" + Guid.NewGuid().ToString("N")),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
