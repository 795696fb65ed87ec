using System.Collections.Generic;
using System.Threading.Channels;

namespace Rpc.Discovery;

/// <summary>
/// The queue between a registry and one watcher: it holds at most one set, the latest, so a slow watcher skips
/// the sets it had no time for instead of queueing them without bound.
/// </summary>
internal static class SnapshotChannel
{
    internal static Channel<IReadOnlyList<RpcServiceInstance>> Create() =>
        Channel.CreateBounded<IReadOnlyList<RpcServiceInstance>>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
        });
}
