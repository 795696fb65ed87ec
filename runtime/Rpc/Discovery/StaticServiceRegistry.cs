using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Rpc.Discovery;

/// <summary>
/// A fixed list of instances, given in code or read from configuration in the layout
/// <c>Microsoft.Extensions.ServiceDiscovery</c> users already write (<c>Services:&lt;name&gt;:&lt;endpoint&gt;:&lt;i&gt;</c>;
/// see <see cref="StaticServiceRegistry(IEnumerable{KeyValuePair{string, string}}, string, string)"/>).
/// Nothing changes after construction, so <see cref="WatchAsync"/> yields one set and then waits.
/// <see cref="RegisterAsync"/> does nothing: see there why.
/// </summary>
public sealed class StaticServiceRegistry : IRpcServiceRegistry
{
    private static readonly IReadOnlyList<RpcServiceInstance> NoInstances = Array.Empty<RpcServiceInstance>();
    private readonly Dictionary<string, IReadOnlyList<RpcServiceInstance>> _services;

    /// <summary>A registry of exactly <paramref name="instances"/>; service names compare ordinally.</summary>
    /// <exception cref="ArgumentException">Two instances of one service share an Id, or an item is null.</exception>
    public StaticServiceRegistry(IEnumerable<RpcServiceInstance> instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        _services = Group(instances, StringComparer.Ordinal);
    }

    /// <summary>
    /// A registry read from configuration key/value pairs, as <c>IConfiguration.AsEnumerable()</c> yields them
    /// (so this package needs no configuration dependency). Under <paramref name="sectionName"/> it reads
    /// <c>&lt;section&gt;:&lt;service&gt;:&lt;endpointName&gt;:&lt;i&gt;</c> = address (a list) or
    /// <c>&lt;section&gt;:&lt;service&gt;:&lt;endpointName&gt;</c> = address (one), where an address is any form
    /// <see cref="RpcEndPointParser"/> understands: <c>tcp://host:port</c>, <c>host:port</c>,
    /// <c>http://host:port</c>, <c>unix:/path</c>. Every instance gets the default Id and weight.
    /// Keys compare case-insensitively, as configuration keys do: <c>WatchAsync("orders")</c> finds
    /// <c>Services:Orders:...</c>. Keys outside the section are ignored.
    /// </summary>
    /// <param name="configuration">The pairs; null values (section nodes) are skipped.</param>
    /// <param name="sectionName">The top-level section holding the services; default <c>Services</c>.</param>
    /// <param name="endpointName">Read only this named endpoint of each service (e.g. <c>rpc</c>); null (the
    /// default) reads every endpoint name, and an address listed under two names is one instance.</param>
    /// <exception cref="ArgumentException">An address does not parse, or a list has a non-numeric index; the message names the key.</exception>
    public StaticServiceRegistry(
        IEnumerable<KeyValuePair<string, string?>> configuration,
        string sectionName = "Services",
        string? endpointName = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionName);
        _services = Group(
            StaticServiceConfigurationReader.Read(configuration, sectionName, endpointName),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Does nothing and returns a handle whose disposal does nothing either: the instance list is fixed at
    /// construction, and a server pointed at a static registry (its address already in everyone's configuration)
    /// should start the same way it does against a live one, not fail.
    /// </summary>
    public ValueTask<IAsyncDisposable> RegisterAsync(RpcServiceInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<IAsyncDisposable>(new RegistrationHandle(null));
    }

    /// <inheritdoc />
    /// <remarks>Yields the configured set (empty for an unknown service) once, then waits for the token.</remarks>
    public IAsyncEnumerable<IReadOnlyList<RpcServiceInstance>> WatchAsync(string serviceName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        return Watch(_services.TryGetValue(serviceName, out IReadOnlyList<RpcServiceInstance>? instances) ? instances : NoInstances, cancellationToken);
    }

    private static async IAsyncEnumerable<IReadOnlyList<RpcServiceInstance>> Watch(
        IReadOnlyList<RpcServiceInstance> instances,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        yield return instances;
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
    }

    private static Dictionary<string, IReadOnlyList<RpcServiceInstance>> Group(IEnumerable<RpcServiceInstance> instances, StringComparer comparer)
    {
        var byService = new Dictionary<string, List<RpcServiceInstance>>(comparer);
        foreach (RpcServiceInstance instance in instances)
        {
            if (instance is null)
            {
                throw new ArgumentException("The instance list contains null.", nameof(instances));
            }

            if (!byService.TryGetValue(instance.ServiceName, out List<RpcServiceInstance>? list))
            {
                list = new List<RpcServiceInstance>();
                byService.Add(instance.ServiceName, list);
            }

            foreach (RpcServiceInstance other in list)
            {
                if (string.Equals(other.Id, instance.Id, StringComparison.Ordinal))
                {
                    throw new ArgumentException(
                        $"Service '{instance.ServiceName}' lists two instances with the Id '{instance.Id}'.", nameof(instances));
                }
            }

            list.Add(instance);
        }

        var result = new Dictionary<string, IReadOnlyList<RpcServiceInstance>>(comparer);
        foreach (KeyValuePair<string, List<RpcServiceInstance>> pair in byService)
        {
            pair.Value.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
            result.Add(pair.Key, new ReadOnlyCollection<RpcServiceInstance>(pair.Value));
        }

        return result;
    }
}
