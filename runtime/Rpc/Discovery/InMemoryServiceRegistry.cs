using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rpc.Discovery;

/// <summary>
/// A registry inside one process: servers and clients that share the instance see each other's registrations
/// at once. The embedded default, for tests, samples and single-process deployments. Thread-safe.
/// </summary>
public sealed class InMemoryServiceRegistry : IRpcServiceRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ServiceState> _services = new(StringComparer.Ordinal);

    /// <inheritdoc />
    /// <remarks>Completes at once: the instance is visible to watchers before this returns.</remarks>
    public ValueTask<IAsyncDisposable> RegisterAsync(RpcServiceInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        cancellationToken.ThrowIfCancellationRequested();
        var registration = new Registration(instance);
        lock (_lock)
        {
            ServiceState state = GetOrAddState(instance.ServiceName);
            state.ById[instance.Id] = registration;
            state.Publish();
        }

        return new ValueTask<IAsyncDisposable>(new RegistrationHandle(() => Deregister(registration)));
    }

    /// <inheritdoc />
    public IAsyncEnumerable<IReadOnlyList<RpcServiceInstance>> WatchAsync(string serviceName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        return Watch(serviceName, cancellationToken);
    }

    private async IAsyncEnumerable<IReadOnlyList<RpcServiceInstance>> Watch(
        string serviceName,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Channel<IReadOnlyList<RpcServiceInstance>> channel = SnapshotChannel.Create();
        lock (_lock)
        {
            ServiceState state = GetOrAddState(serviceName);
            state.Watchers.Add(channel.Writer);
            channel.Writer.TryWrite(state.Snapshot);
        }

        try
        {
            while (true)
            {
                yield return await channel.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            lock (_lock)
            {
                if (_services.TryGetValue(serviceName, out ServiceState? state))
                {
                    state.Watchers.Remove(channel.Writer);
                    RemoveIfUnused(serviceName, state);
                }
            }
        }
    }

    private void Deregister(Registration registration)
    {
        RpcServiceInstance instance = registration.Instance;
        lock (_lock)
        {
            if (!_services.TryGetValue(instance.ServiceName, out ServiceState? state) ||
                !state.ById.TryGetValue(instance.Id, out Registration? current) ||
                current != registration)
            {
                return; // replaced by a later registration with the same Id, which stays
            }

            state.ById.Remove(instance.Id);
            state.Publish();
            RemoveIfUnused(instance.ServiceName, state);
        }
    }

    private ServiceState GetOrAddState(string serviceName)
    {
        if (!_services.TryGetValue(serviceName, out ServiceState? state))
        {
            state = new ServiceState();
            _services.Add(serviceName, state);
        }

        return state;
    }

    private void RemoveIfUnused(string serviceName, ServiceState state)
    {
        if (state.ById.Count == 0 && state.Watchers.Count == 0)
        {
            _services.Remove(serviceName);
        }
    }

    // Reference identity tells a registration from a later one with the same Id.
    private sealed class Registration(RpcServiceInstance instance)
    {
        internal RpcServiceInstance Instance { get; } = instance;
    }

    /// <summary>One service's registrations and watchers; guarded by the registry's lock.</summary>
    private sealed class ServiceState
    {
        internal Dictionary<string, Registration> ById { get; } = new(StringComparer.Ordinal);

        internal List<ChannelWriter<IReadOnlyList<RpcServiceInstance>>> Watchers { get; } = new();

        internal IReadOnlyList<RpcServiceInstance> Snapshot { get; private set; } = Array.Empty<RpcServiceInstance>();

        /// <summary>Takes a new snapshot of the registrations and hands it to every watcher.</summary>
        internal void Publish()
        {
            var instances = new RpcServiceInstance[ById.Count];
            int i = 0;
            foreach (Registration registration in ById.Values)
            {
                instances[i++] = registration.Instance;
            }

            Array.Sort(instances, static (a, b) => string.CompareOrdinal(a.Id, b.Id));
            // One read-only list shared by every watcher: none can change what the others see.
            Snapshot = Array.AsReadOnly(instances);
            foreach (ChannelWriter<IReadOnlyList<RpcServiceInstance>> watcher in Watchers)
            {
                watcher.TryWrite(Snapshot); // a bounded channel of one that drops the oldest: never fails
            }
        }
    }
}
