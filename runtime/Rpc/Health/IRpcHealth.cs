using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Rpc.Health;

/// <summary>
/// The health service every <see cref="RpcServer"/> hosts, as gRPC's <c>grpc.health.v1.Health</c> does: ask
/// whether the whole server (<c>""</c>) or one of its services (by service name) is serving, once or as a stream of
/// changes. Its proxy and binder ship with the runtime (<see cref="RpcHealthRpc"/>), so a client calls it with
/// <c>client.CreateProxy&lt;IRpcHealth&gt;()</c> and nothing to generate.
/// </summary>
[RpcService]
public interface IRpcHealth
{
    /// <summary>
    /// The status of <paramref name="service"/> now: <c>""</c> for the whole server; a service name (the interface's
    /// full name, or the one given to <see cref="RpcServiceAttribute"/>) for one service.
    /// <see cref="RpcHealthStatus.ServiceUnknown"/> when the server neither serves it nor has a status set for it.
    /// </summary>
    ValueTask<RpcHealthStatus> CheckAsync(string service, CancellationToken ct = default);

    /// <summary>
    /// The status of <paramref name="service"/> now, then again every time it changes. When the server starts
    /// draining, the stream sends <see cref="RpcHealthStatus.NotServing"/> and ends, so it never holds the drain open.
    /// </summary>
    IAsyncEnumerable<RpcHealthStatus> WatchAsync(string service, CancellationToken ct = default);
}
