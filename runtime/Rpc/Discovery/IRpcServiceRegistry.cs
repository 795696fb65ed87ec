using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Rpc.Discovery;

/// <summary>
/// Where servers announce their instances and clients find them. Implementations: <see cref="InMemoryServiceRegistry"/>
/// (one process), <see cref="StaticServiceRegistry"/> (a fixed list from code or configuration) and, in the
/// <c>Rpc.Etcd</c> package, <c>EtcdServiceRegistry</c>. Every implementation is safe to use from many threads.
/// </summary>
public interface IRpcServiceRegistry
{
    /// <summary>
    /// Announces <paramref name="instance"/>. It stays registered until the returned handle is disposed (a registry
    /// with leases keeps its lease alive in the background meanwhile); disposing it twice is harmless. A second
    /// registration with the same service name and <see cref="RpcServiceInstance.Id"/> replaces the first, and
    /// disposing the first handle then leaves the second in place.
    /// </summary>
    ValueTask<IAsyncDisposable> RegisterAsync(RpcServiceInstance instance, CancellationToken cancellationToken = default);

    /// <summary>
    /// The instances of <paramref name="serviceName"/>: first the current set (possibly empty), then the whole set
    /// again after every change, each list ordered by <see cref="RpcServiceInstance.Id"/> (ordinal). The sequence
    /// never ends by itself: it ends with an <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellationToken"/> (or the one given to <c>WithCancellation</c>) fires. A consumer slower
    /// than the changes skips the sets it had no time for and gets the latest one next; nothing queues without bound.
    /// A registry that loses its backend yields nothing new until it is back: the last set stands, never an empty
    /// list that only says the registry blinked.
    /// </summary>
    IAsyncEnumerable<IReadOnlyList<RpcServiceInstance>> WatchAsync(string serviceName, CancellationToken cancellationToken = default);
}
