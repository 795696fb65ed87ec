using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Rpc.Hosting;

/// <summary>
/// Connects every typed client once the host has started: in <see cref="IHostedLifecycleService.StartedAsync"/>,
/// after every hosted service's start, so that a server hosted in the same process is already listening. A server
/// that cannot be reached does not fail the start: its clients' calls fail with
/// <see cref="RpcStatusCode.Unavailable"/> while the connection is tried again in the background.
/// </summary>
internal sealed class RpcClientConnector : IHostedLifecycleService
{
    private readonly RpcClientConnections _connections;
    private readonly IEnumerable<RpcClientRegistration> _clients;

    public RpcClientConnector(RpcClientConnections connections, IEnumerable<RpcClientRegistration> clients)
    {
        _connections = connections;
        _clients = clients;
    }

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var connecting = new List<Task>();
        var seen = new HashSet<RpcSharedConnection>();
        foreach (RpcClientRegistration client in _clients)
        {
            RpcSharedConnection connection = _connections.Get(client.Name);
            if (seen.Add(connection))
            {
                connecting.Add(ConnectAsync(client.Name, connection, cancellationToken));
            }
        }
        await Task.WhenAll(connecting).ConfigureAwait(false);
    }

    private static async Task ConnectAsync(string name, RpcSharedConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await connection.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            // Options the client refuses (a stream window out of range, ...): a configuration error, reported at start.
            throw new OptionsValidationException(name, typeof(RpcHostedClientOptions),
                [$"{RpcHostingConfiguration.ClientSection(name)}:{ex.ParamName} is out of range: {ex.Message}"]);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // The connections stay open while the host stops, for hosted services that still call during their own stop;
    // disposing the container closes them.
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
