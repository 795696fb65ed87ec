using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.ComponentModel;

namespace Rpc.Contracts;

/// <summary>
/// The contracts (docs/contracts.md) of the services compiled into the loaded assemblies, by service name: generated
/// code registers each service's contract when its assembly loads, and a server with
/// <see cref="RpcServerOptions.EnableDescription"/> serves them.
/// </summary>
public static class RpcContractRegistry
{
    private static readonly ConcurrentDictionary<string, string> s_contracts = new(StringComparer.Ordinal);

    /// <summary>Registers the contract document of one service; generated code calls this.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void Register(string serviceName, string contractJson)
    {
        ArgumentNullException.ThrowIfNull(serviceName);
        ArgumentNullException.ThrowIfNull(contractJson);
        s_contracts[serviceName] = contractJson;
    }

    /// <summary>
    /// The contract document of <paramref name="serviceName"/>: a JSON object with the schema version, the one service
    /// and every type its methods reach; false when no generated contract was registered for it.
    /// </summary>
    public static bool TryGetContract(string serviceName, out string contractJson)
    {
        ArgumentNullException.ThrowIfNull(serviceName);
        if (s_contracts.TryGetValue(serviceName, out string? found))
        {
            contractJson = found;
            return true;
        }
        contractJson = string.Empty;
        return false;
    }

    /// <summary>The names of the services whose contracts are registered, in ordinal order.</summary>
    public static IReadOnlyList<string> ServiceNames
    {
        get
        {
            var names = new List<string>(s_contracts.Keys);
            names.Sort(StringComparer.Ordinal);
            return names;
        }
    }
}
