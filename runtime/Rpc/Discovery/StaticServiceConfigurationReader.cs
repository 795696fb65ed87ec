using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;

namespace Rpc.Discovery;

/// <summary>
/// Reads service instances from flattened configuration pairs in <c>Microsoft.Extensions.ServiceDiscovery</c>'s
/// layout: <c>Services:&lt;service&gt;:&lt;endpointName&gt;</c> = address, or
/// <c>Services:&lt;service&gt;:&lt;endpointName&gt;:&lt;i&gt;</c> = address for a list.
/// </summary>
internal static class StaticServiceConfigurationReader
{
    private const char Separator = ':';

    internal static List<RpcServiceInstance> Read(
        IEnumerable<KeyValuePair<string, string?>> configuration,
        string sectionName,
        string? endpointName)
    {
        // Keyed by service name and address (case-insensitive service names, as configuration keys are), so an
        // address listed under two endpoint names becomes one instance; the first spelling of the name wins.
        var seen = new HashSet<(string Service, string Address)>(ServiceAndAddressComparer.Instance);
        var instances = new List<RpcServiceInstance>();
        string prefix = sectionName + Separator;
        foreach (KeyValuePair<string, string?> pair in configuration)
        {
            if (pair.Value is null || pair.Key is null ||
                !pair.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // <service>:<endpointName>[:<index>]
            string[] parts = pair.Key.Substring(prefix.Length).Split(Separator);
            if (parts.Length is < 2 or > 3 || parts[0].Length == 0 ||
                (endpointName is not null && !string.Equals(parts[1], endpointName, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            if (parts.Length == 3 && !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                throw new ArgumentException(
                    $"Configuration key '{pair.Key}': the endpoint list of service '{parts[0]}' has a non-numeric index '{parts[2]}'.",
                    "configuration");
            }

            EndPoint endPoint;
            try
            {
                endPoint = RpcEndPointParser.Parse(pair.Value);
            }
            catch (FormatException e)
            {
                throw new ArgumentException($"Configuration key '{pair.Key}': {e.Message}", "configuration", e);
            }

            var instance = new RpcServiceInstance(parts[0], endPoint);
            if (seen.Add((instance.ServiceName, instance.Id)))
            {
                instances.Add(instance);
            }
        }

        return instances;
    }

    private sealed class ServiceAndAddressComparer : IEqualityComparer<(string Service, string Address)>
    {
        internal static readonly ServiceAndAddressComparer Instance = new();

        public bool Equals((string Service, string Address) x, (string Service, string Address) y) =>
            string.Equals(x.Service, y.Service, StringComparison.OrdinalIgnoreCase) &&
            string.Equals(x.Address, y.Address, StringComparison.Ordinal);

        public int GetHashCode((string Service, string Address) obj) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Service), StringComparer.Ordinal.GetHashCode(obj.Address));
    }
}
