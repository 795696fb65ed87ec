using System.Collections.Generic;

namespace Rpc.Hosting;

/// <summary>
/// Where the hosted server announces itself: set <see cref="ServiceName"/> and, once listening, the server registers
/// one instance in the <see cref="Discovery.IRpcServiceRegistry"/> registered in dependency injection; as the host
/// stops, the registration is removed first, before the drain (<see cref="RpcServer.RegisterAsync"/>). Bound from
/// <c>Rpc:Server:Registration</c>.
/// </summary>
public sealed class RpcHostedRegistrationOptions
{
    /// <summary>The service name clients look up (<c>Rpc:Clients:&lt;name&gt;:ServiceName</c>); null (the default) registers nothing.</summary>
    public string? ServiceName { get; set; }

    /// <summary>
    /// The address clients connect to, as <c>"tcp://host:port"</c> or <c>"unix:/path"</c>. Default: the first
    /// endpoint the server listens on, as bound; a wildcard address (<c>*</c>, <c>0.0.0.0</c>, <c>[::]</c>) is then
    /// replaced by this machine's host name.
    /// </summary>
    public string? Address { get; set; }

    /// <summary>The instance's Id; default the address's canonical text (see <see cref="Discovery.RpcServiceInstance.Id"/>).</summary>
    public string? Id { get; set; }

    /// <summary>The instance's share of traffic relative to its peers'; greater than 0, default 100.</summary>
    public int Weight { get; set; } = 100;

    /// <summary>Free-form metadata registered with the instance (zone, version, ...).</summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>();
}
