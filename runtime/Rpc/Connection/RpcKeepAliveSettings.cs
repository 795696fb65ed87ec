using System;
using System.Threading;

namespace Rpc.Protocol;

/// <summary>
/// When a connection pings its peer: after <see cref="IntervalMs"/> without reading anything, and it is declared
/// dead when nothing at all arrives within <see cref="TimeoutMs"/> of the ping. Zero interval: never pings.
/// </summary>
internal readonly struct RpcKeepAliveSettings
{
    public RpcKeepAliveSettings(TimeSpan interval, TimeSpan timeout)
    {
        IntervalMs = interval == Timeout.InfiniteTimeSpan ? 0 : (long)interval.TotalMilliseconds;
        TimeoutMs = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : (long)timeout.TotalMilliseconds;
    }

    public long IntervalMs { get; }

    public long TimeoutMs { get; }

    public bool Enabled => IntervalMs > 0;
}
