using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Rpc.Discovery;

namespace Rpc.Etcd;

/// <summary>
/// A service registry on etcd. Each registered instance is one key, <c>Prefix + serviceName + "/" + Id</c>, whose
/// JSON value holds the address, weight and metadata, attached to a lease of <see cref="EtcdRegistryOptions.LeaseTtl"/>
/// renewed in the background: a process that dies leaves the listing within the TTL. Watchers list the service's
/// keys and then follow etcd's change stream. The layout and the failure behaviour are in docs/cluster.md.
/// <para>
/// While etcd is unreachable, registrations keep retrying and watchers keep the last set they yielded (never an
/// empty list because etcd blinked); everything converges once it is back. Every failure goes to
/// <see cref="EtcdRegistryOptions.Log"/>. Dispose the registry to revoke its registrations and end its watches.
/// </para>
/// </summary>
public sealed class EtcdServiceRegistry : IRpcServiceRegistry, IAsyncDisposable
{
    private readonly EtcdConnection _etcd;
    private readonly object _lock = new();
    private readonly HashSet<EtcdRegistration> _registrations = new();
    private readonly HashSet<Channel<IReadOnlyList<RpcServiceInstance>>> _watches = new();
    private readonly CancellationTokenSource _disposed = new();

    /// <summary>Creates the registry; it connects to etcd on first use.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public EtcdServiceRegistry(EtcdRegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _etcd = new EtcdConnection(options);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Returns once the instance's key is written. While etcd cannot be reached it keeps trying, logging each
    /// failure, until <paramref name="cancellationToken"/> fires (then it throws
    /// <see cref="OperationCanceledException"/> and writes nothing): pass a token with a timeout to fail a start
    /// instead of waiting for etcd. After that, the lease is renewed, and the key written again if the lease lapsed,
    /// until the handle is disposed; disposal revokes the lease, which deletes the key.
    /// </remarks>
    public async ValueTask<IAsyncDisposable> RegisterAsync(RpcServiceInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        EtcdRegistration registration = await EtcdRegistration.StartAsync(_etcd, instance, Forget, cancellationToken).ConfigureAwait(false);
        bool disposed;
        lock (_lock)
        {
            disposed = _disposed.IsCancellationRequested;
            if (!disposed)
            {
                _registrations.Add(registration);
            }
        }

        if (disposed)
        {
            await registration.DisposeAsync().ConfigureAwait(false);
            throw new ObjectDisposedException(nameof(EtcdServiceRegistry));
        }

        return registration;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Each enumeration keeps its own etcd watch. When the registry is disposed, enumerations end with an
    /// <see cref="ObjectDisposedException"/>.
    /// </remarks>
    public IAsyncEnumerable<IReadOnlyList<RpcServiceInstance>> WatchAsync(string serviceName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        return Watch(serviceName, cancellationToken);
    }

    /// <summary>Revokes every live registration (deleting their keys), ends every watch and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        EtcdRegistration[] registrations;
        Channel<IReadOnlyList<RpcServiceInstance>>[] watches;
        lock (_lock)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _disposed.Cancel();
            registrations = [.. _registrations];
            watches = [.. _watches];
        }

        foreach (Channel<IReadOnlyList<RpcServiceInstance>> watch in watches)
        {
            watch.Writer.TryComplete();
        }

        foreach (EtcdRegistration registration in registrations)
        {
            await registration.DisposeAsync().ConfigureAwait(false);
        }

        _etcd.Dispose();
    }

    private async IAsyncEnumerable<IReadOnlyList<RpcServiceInstance>> Watch(
        string serviceName,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Channel<IReadOnlyList<RpcServiceInstance>> channel = Channel.CreateBounded<IReadOnlyList<RpcServiceInstance>>(
            new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
            _watches.Add(channel);
        }

        Task loop = new EtcdServiceWatch(_etcd, serviceName, channel.Writer).RunAsync(stop.Token);
        try
        {
            while (true)
            {
                IReadOnlyList<RpcServiceInstance> instances;
                try
                {
                    instances = await channel.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (ChannelClosedException)
                {
                    throw new ObjectDisposedException(nameof(EtcdServiceRegistry)); // only DisposeAsync closes it
                }

                yield return instances;
            }
        }
        finally
        {
            stop.Cancel();
            await loop.ConfigureAwait(false); // never throws
            lock (_lock)
            {
                _watches.Remove(channel);
            }
        }
    }

    private void Forget(EtcdRegistration registration)
    {
        lock (_lock)
        {
            _registrations.Remove(registration);
        }
    }
}
