using System.Collections.Generic;
using System.Net;
using Rpc.Discovery;

namespace Rpc.Hosting;

/// <summary>Turns <see cref="RpcHostedRegistrationOptions"/> and the bound endpoints into the instance the hosted server registers.</summary>
internal static class RpcHostedRegistration
{
    /// <summary>The instance to register; null when no service name is set.</summary>
    public static RpcServiceInstance? CreateInstance(RpcHostedRegistrationOptions options, IReadOnlyList<EndPoint> bound)
    {
        if (string.IsNullOrWhiteSpace(options.ServiceName) || bound.Count == 0)
        {
            return null;
        }
        EndPoint endPoint = options.Address is { } address && RpcEndPointText.TryParse(address, out EndPoint? configured, out _)
            ? configured
            : Advertised(bound[0]);
        var instance = new RpcServiceInstance(options.ServiceName, endPoint) { Weight = options.Weight };
        if (!string.IsNullOrWhiteSpace(options.Id))
        {
            instance = instance with { Id = options.Id };
        }
        if (options.Metadata.Count > 0)
        {
            instance = instance with { Metadata = new Dictionary<string, string>(options.Metadata) };
        }
        return instance;
    }

    // A server listening on every interface is reached through this machine's name, not through 0.0.0.0.
    private static EndPoint Advertised(EndPoint bound) =>
        bound is IPEndPoint ip && (ip.Address.Equals(IPAddress.Any) || ip.Address.Equals(IPAddress.IPv6Any))
            ? new DnsEndPoint(Dns.GetHostName(), ip.Port)
            : bound;
}
