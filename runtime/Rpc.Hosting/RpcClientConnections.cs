using System;
using System.Collections.Generic;
using System.Net;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rpc.Hosting.Logging;
using Rpc.Discovery;

namespace Rpc.Hosting;

/// <summary>
/// The shared clients of the typed clients, one per target: an address (clients of several services on one server
/// share its connection) or a service name found through the registry in dependency injection (one balanced
/// client). A singleton; disposing the container closes the clients.
/// </summary>
internal sealed class RpcClientConnections : IAsyncDisposable
{
    private readonly IOptionsMonitor<RpcHostedClientOptions> _options;
    private readonly IRpcServiceRegistry? _registry;
    private readonly Dictionary<string, RpcSharedConnection> _byTarget = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RpcSharedConnection> _byName = new(StringComparer.Ordinal);
    private bool _disposed;

    private readonly RpcLoggerBridge? _logger;

    public RpcClientConnections(IOptionsMonitor<RpcHostedClientOptions> options, IRpcServiceRegistry? registry, ILoggerFactory? loggerFactory = null)
    {
        _options = options;
        _registry = registry;
        _logger = loggerFactory is null ? null : new RpcLoggerBridge(loggerFactory);
    }

    /// <summary>The shared client of the typed client named <paramref name="name"/>, made (not connected) on first use.</summary>
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
            RpcClientOptions client = options.Client;
            if (client.Logger is null && _logger is not null)
            {
                // The host's logging, unless the application set its own sink.
                client.Logger = _logger;
            }
            string key;
            Func<System.Threading.CancellationToken, Task<RpcClient>> connect;
            if (!string.IsNullOrWhiteSpace(options.ServiceName))
            {
                IRpcServiceRegistry registry = _registry ?? throw new OptionsValidationException(name, typeof(RpcHostedClientOptions),
                    [$"{RpcHostingConfiguration.ClientSection(name)}:ServiceName is set but no IRpcServiceRegistry is registered."]);
                string serviceName = options.ServiceName;
                key = "service " + serviceName;
                connect = cancellationToken => RpcClient.ConnectAsync(serviceName, registry, client, cancellationToken);
            }
            else
            {
                if (!RpcEndPointText.TryParse(options.Address, out EndPoint? endPoint, out string? error))
                {
                    throw new OptionsValidationException(name, typeof(RpcHostedClientOptions), [$"{RpcHostingConfiguration.ClientSection(name)}:Address: {error}."]);
                }
                key = RpcEndPointText.Format(endPoint);
                connect = async cancellationToken =>
                {
                    EndPoint resolved = await RpcEndPointText.ResolveAsync(endPoint, cancellationToken).ConfigureAwait(false);
                    return await RpcClient.ConnectAsync(resolved, client, cancellationToken).ConfigureAwait(false);
                };
            }
            if (!_byTarget.TryGetValue(key, out RpcSharedConnection? connection))
            {
                connection = new RpcSharedConnection(key, connect, client);
                if (_logger is { } logger)
                {
                    connection.FirstConnectFailed += (target, failure) => RpcClientLog.FirstConnectFailed(logger.Client, target, failure);
                }
                _byTarget.Add(key, connection);
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
            connections = new RpcSharedConnection[_byTarget.Count];
            _byTarget.Values.CopyTo(connections, 0);
        }
        foreach (RpcSharedConnection connection in connections)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
