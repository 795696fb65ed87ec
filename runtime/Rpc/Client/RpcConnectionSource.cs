using System;
using System.Threading;
using System.Threading.Tasks;

namespace Rpc.Client;

/// <summary>
/// Where a client's calls find a connection: one endpoint's <see cref="RpcSubchannel"/>, or a balanced set of them
/// (<see cref="RpcBalancedChannel"/>). <see cref="Pick"/> is the hot path: no allocation, no wait; a call that gets
/// null waits through <see cref="WaitForReadyAsync"/>.
/// </summary>
internal abstract class RpcConnectionSource : IAsyncDisposable
{
    /// <summary>The longest timeout a wait takes (a timer's limit); a later deadline is waited for without one.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromMilliseconds(uint.MaxValue - 2);

    /// <summary>
    /// Waits for <paramref name="changed"/> (a state change) until <paramref name="deadline"/>; false when the
    /// deadline passed first. A deadline beyond what a timer can wait (about 49 days) is waited for without one.
    /// </summary>
    protected static async ValueTask<bool> WaitForChangeAsync(Task changed, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        if (deadline is { } due)
        {
            TimeSpan left = due - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return false;
            }
            if (left < MaxWait)
            {
                try
                {
                    await changed.WaitAsync(left, cancellationToken).ConfigureAwait(false);
                    return true;
                }
                catch (TimeoutException)
                {
                    return false;
                }
            }
        }
        await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The connection for this call now; null when none is Ready.</summary>
    /// <param name="context">The call's context, when it has one (its options may name a hash key).</param>
    /// <param name="hashKey">The call's <c>[RpcHashKey]</c> argument, if any.</param>
    public abstract RpcClientConnection? Pick(RpcClientCallContext? context, string? hashKey);

    /// <summary>
    /// A Ready connection for the call, waiting while connecting; fails fast (<see cref="RpcStatusCode.Unavailable"/>)
    /// when nothing is connecting unless the call waits for ready, and at its deadline or token.
    /// </summary>
    public abstract ValueTask<RpcClientConnection> WaitForReadyAsync(RpcClientCallContext? context, string? hashKey, RpcMethodDescriptor method, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="WaitForReadyAsync"/> for a retry: another instance than the one <paramref name="failedOn"/> went to when another is Ready
    /// (failover). A source of one endpoint has no other and ignores it.
    /// </summary>
    public virtual ValueTask<RpcClientConnection> WaitForRetryAsync(RpcClientCallContext? context, string? hashKey, RpcMethodDescriptor method, RpcClientConnection? failedOn, CancellationToken cancellationToken) =>
        WaitForReadyAsync(context, hashKey, method, cancellationToken);

    /// <summary>
    /// A call failed with <see cref="RpcStatusCode.Unavailable"/> because <paramref name="connection"/> dropped
    /// under it (a transport failure, not a status from the server): input for outlier ejection. Failure path only.
    /// </summary>
    public virtual void OnTransportFailure(RpcClientConnection connection)
    {
    }

    /// <summary>The aggregate state: Ready when any connection is.</summary>
    public abstract RpcConnectionState State { get; }

    public abstract ValueTask DisposeAsync();
}
