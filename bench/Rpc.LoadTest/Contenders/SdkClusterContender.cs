using System.Net;
using Rpc.Discovery;

namespace Rpc.LoadTest.Contenders;

/// <summary>
/// Our SDK spread over a cluster (issue 18): three server processes of the same load server as <c>sdk</c>, and one
/// <see cref="RpcClient"/> made by the cluster API (<see cref="RpcClient.ConnectAsync(string, IRpcServiceRegistry, RpcClientOptions?, CancellationToken)"/>)
/// from a <see cref="StaticServiceRegistry"/> listing the three, with the default options: one connection per
/// instance and calls spread by <see cref="RpcLoadBalancer.PowerOfTwoChoices"/>. Against <c>sdk</c> in the same run it
/// shows what the balanced client costs and what three server processes buy on the same machine.
/// </summary>
internal sealed class SdkClusterContender : Contender
{
    private const string ServiceName = "load";

    private readonly SdkContender _single = new();

    public override string Name => "sdk-cluster";

    public override string DisplayName => "Rpc SDK (TCP, 3 servers)";

    public override string Uses => "three server processes of the sdk load server; one RpcClient from the cluster API (a StaticServiceRegistry listing the three): a TCP connection to each, calls spread by PowerOfTwoChoices (the default balancer); our frames, no HTTP; the generated MemoryPack-format serializers";

    public override int ServerProcesses => 3;

    /// <summary>Each process serves exactly what <c>sdk</c>'s server does.</summary>
    public override Task<IAsyncDisposable> StartServerAsync(int port) => _single.StartServerAsync(port);

    public override Task<ILoadConnection> ConnectAsync(int port, CancellationToken cancellationToken) =>
        ConnectAsync([port], cancellationToken);

    public override async Task<ILoadConnection> ConnectAsync(IReadOnlyList<int> ports, CancellationToken cancellationToken)
    {
        var registry = new StaticServiceRegistry(ports.Select(port => new RpcServiceInstance(ServiceName, new IPEndPoint(IPAddress.Loopback, port))));
        // Ready once one instance is; the others join within milliseconds, well inside the connection warm-up.
        RpcClient client = await RpcClient.ConnectAsync(ServiceName, registry, new RpcClientOptions(), cancellationToken);
        return new SdkContender.Connection(client);
    }
}
