using System;
using System.Collections.Generic;
using System.Net;
using System.Threading.Tasks;
using Microsoft.Extensions.Options;

namespace Rpc.Hosting;

/// <summary>
/// The shared connections of the typed clients, one per target address: clients of several services on one server
/// share its connection. A singleton; disposing the container closes the connections.
/// </summary>
internal sealed class RpcClientConnections : IAsyncDisposable
{
    private readonly IOptionsMonitor<RpcHostedClientOptions> _options;
    private readonly Dictionary<string, RpcSharedConnection> _byAddress = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RpcSharedConnection> _byName = new(StringComparer.Ordinal);
    private bool _disposed;

    public RpcClientConnections(IOptionsMonitor<RpcHostedClientOptions> options) => _options = options;

    /// <summary>The connection of the typed client named <paramref name="name"/>, made (not connected) on first use.</summary>
    /// <exception cref="OptionsValidationException">The client's options are invalid.</exception>
    public RpcSharedConnection Get(string name)
    {
        lock (_byName)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_byName.TryGetValue(name, out RpcSharedConnection? known))
            {
                return known;
            }
            // Get validates (the validator runs on every named instance as it is created).
            RpcHostedClientOptions options = _options.Get(name);
            if (!RpcEndPointText.TryParse(options.Address, out EndPoint? endPoint, out string? error))
            {
                throw new OptionsValidationException(name, typeof(RpcHostedClientOptions), [$"{RpcHostingConfiguration.ClientSection(name)}:Address: {error}."]);
            }
            string key = RpcEndPointText.Format(endPoint);
            if (!_byAddress.TryGetValue(key, out RpcSharedConnection? connection))
            {
                connection = new RpcSharedConnection(key, endPoint, options.Client);
                _byAddress.Add(key, connection);
            }
            _byName.Add(name, connection);
            return connection;
        }
    }

    public async ValueTask DisposeAsync()
    {
        RpcSharedConnection[] connections;
        lock (_byName)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            connections = new RpcSharedConnection[_byAddress.Count];
            _byAddress.Values.CopyTo(connections, 0);
        }
        foreach (RpcSharedConnection connection in connections)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
