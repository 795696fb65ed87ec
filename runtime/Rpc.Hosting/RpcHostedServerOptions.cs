using System.Collections.Generic;

namespace Rpc.Hosting;

/// <summary>
/// Options of the server that <c>AddRpcServer</c> runs in the host. Bound from the configuration section
/// <c>Rpc:Server</c> (<see cref="RpcHostingConfiguration.ServerSection"/>) first, then changed by the delegate given to
/// <c>AddRpcServer</c>, and validated when the host starts.
/// </summary>
public sealed class RpcHostedServerOptions
{
    /// <summary>
    /// Where the server listens: <c>"tcp://host:port"</c> (an IP address, <c>[IPv6]</c>, <c>*</c> for every
    /// interface, or a host name; port 0 picks a free port, see <see cref="RpcHostedServer.EndPoints"/>) or
    /// <c>"unix:/path/to/socket"</c>. At least one is required. In configuration: <c>Rpc:Server:Endpoints:0</c>, ...
    /// </summary>
    public IList<string> Endpoints { get; } = new List<string>();

    /// <summary>
    /// The options of the <see cref="RpcServer"/> itself. Every value that configuration can express is read from
    /// the same section: <c>Rpc:Server:MaxFrameSize</c>, <c>Rpc:Server:ShutdownTimeout</c> ("00:00:10"), ...
    /// Interceptors and <see cref="RpcServerOptions.OnOneWayError"/> are set in code.
    /// </summary>
    public RpcServerOptions Server { get; } = new();

    /// <summary>The server's registration in a service registry, if any (<c>Rpc:Server:Registration</c>); none by default.</summary>
    public RpcHostedRegistrationOptions Registration { get; } = new();
}
