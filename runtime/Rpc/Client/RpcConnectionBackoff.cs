using System;

namespace Rpc.Client;

/// <summary>
/// gRPC's connection backoff: the first retry waits <see cref="Initial"/>, each later one
/// <see cref="Multiplier"/> times longer up to <see cref="Max"/>, every delay spread by +-<see cref="Jitter"/> so
/// that clients that lost the same server do not come back in lockstep. A successful handshake starts over.
/// </summary>
internal sealed class RpcConnectionBackoff
{
    public RpcConnectionBackoff(TimeSpan initial, TimeSpan max, double multiplier, double jitter)
    {
        Initial = initial;
        Max = max;
        Multiplier = multiplier;
        Jitter = jitter;
    }

    public TimeSpan Initial { get; }

    public TimeSpan Max { get; }

    public double Multiplier { get; }

    public double Jitter { get; }

    /// <summary>The delay after <paramref name="failedAttempts"/> consecutive failures (1 for the first).</summary>
    public TimeSpan Delay(int failedAttempts) => Delay(failedAttempts, Random.Shared.NextDouble());

    /// <summary>The same with the random draw given (0 to 1), for tests.</summary>
    public TimeSpan Delay(int failedAttempts, double draw)
    {
        double ms = Initial.TotalMilliseconds * Math.Pow(Multiplier, Math.Max(0, failedAttempts - 1));
        ms = Math.Min(ms, Max.TotalMilliseconds);
        ms *= 1 + Jitter * (2 * draw - 1);
        return TimeSpan.FromMilliseconds(Math.Max(0, ms));
    }
}
