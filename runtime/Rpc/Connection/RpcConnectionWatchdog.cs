using System;
using System.Collections.Generic;
using System.Threading;

namespace Rpc.Protocol;

/// <summary>
/// One background thread for the whole process that, while any connection is open, checks each every few
/// milliseconds for work stuck behind a blocked thread: frames held back (corked or deferred) and left unsent,
/// which it sends, and batches whose runner is blocked in one item, whose remaining items another thread takes
/// and whose read role another thread takes over. It is what makes batching safe: a handler that blocks delays
/// the calls and frames queued behind it by a tick or two, not until it returns. It is a thread of its own, not
/// a timer, because a timer's callbacks need the thread pool, which blocked handlers may be starving.
/// </summary>
internal static class RpcConnectionWatchdog
{
    /// <summary>How often connections are checked; held-back work waits at most about twice this.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(5);

    private static readonly object s_lock = new();
    private static readonly List<RpcConnection> s_connections = new();
    private static RpcConnection[] s_snapshot = Array.Empty<RpcConnection>();
    private static Thread? s_thread;

    public static void Register(RpcConnection connection)
    {
        lock (s_lock)
        {
            s_connections.Add(connection);
            s_snapshot = s_connections.ToArray();
            if (s_thread is null)
            {
                // Started without the registering caller's execution context (the caller has flow suppressed).
                s_thread = new Thread(Run) { IsBackground = true, Name = "Rpc connection watchdog" };
                s_thread.UnsafeStart();
            }
            else if (s_connections.Count == 1)
            {
                Monitor.PulseAll(s_lock);
            }
        }
    }

    public static void Unregister(RpcConnection connection)
    {
        lock (s_lock)
        {
            if (s_connections.Remove(connection))
            {
                s_snapshot = s_connections.ToArray();
            }
        }
    }

    private static void Run()
    {
        while (true)
        {
            lock (s_lock)
            {
                // Idle (no connections): sleep until one registers, costing nothing meanwhile.
                while (s_connections.Count == 0)
                {
                    Monitor.Wait(s_lock);
                }
            }
            Thread.Sleep(Period);
            foreach (RpcConnection connection in Volatile.Read(ref s_snapshot))
            {
                try
                {
                    connection.OnWatchdogTick();
                }
                catch (Exception)
                {
                    // A check never throws by design; if one did, the other connections must still be watched.
                }
            }
        }
    }
}
