using System;
using System.Collections.Generic;
using System.Threading;

namespace Rpc.Protocol;

/// <summary>
/// One timer for the whole process that, while any connection is open, checks each every few milliseconds for
/// work stuck behind a blocked thread: frames held back (corked or deferred) and left unsent, which it sends, and
/// batches whose runner is blocked in one item, which another thread joins. It is what makes batching safe: a
/// handler that blocks delays the calls and frames queued behind it by a tick or two, not until it returns.
/// </summary>
internal static class RpcConnectionWatchdog
{
    /// <summary>How often connections are checked; held-back work waits at most about twice this.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(5);

    private static readonly object s_lock = new();
    private static readonly List<RpcConnection> s_connections = new();
    private static RpcConnection[] s_snapshot = Array.Empty<RpcConnection>();
    private static Timer? s_timer;

    public static void Register(RpcConnection connection)
    {
        lock (s_lock)
        {
            s_connections.Add(connection);
            s_snapshot = s_connections.ToArray();
            if (s_connections.Count == 1)
            {
                if (s_timer is null)
                {
                    // The timer must not hold on to whatever execution context the first connection was opened in.
                    using (ExecutionContext.SuppressFlow())
                    {
                        s_timer = new Timer(static _ => Tick(), null, Timeout.Infinite, Timeout.Infinite);
                    }
                }
                s_timer.Change(Period, Period);
            }
        }
    }

    public static void Unregister(RpcConnection connection)
    {
        lock (s_lock)
        {
            if (!s_connections.Remove(connection))
            {
                return;
            }
            s_snapshot = s_connections.ToArray();
            if (s_connections.Count == 0)
            {
                s_timer?.Change(Timeout.Infinite, Timeout.Infinite);
            }
        }
    }

    private static void Tick()
    {
        foreach (RpcConnection connection in Volatile.Read(ref s_snapshot))
        {
            connection.OnWatchdogTick();
        }
    }
}
