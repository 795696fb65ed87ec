using System;

namespace Rpc;

/// <summary>
/// Passive outlier ejection for a client of a service (<see cref="RpcClientOptions.OutlierDetection"/>): an instance
/// whose connection keeps dropping under calls (reset, closed, or declared dead by keepalive, so that the calls on it
/// fail with <see cref="RpcStatusCode.Unavailable"/>) is taken out of the load balancer's choices for a while, then
/// returns by itself. Statuses the server's handlers return never count: an application error says nothing about the
/// instance's health. Nothing is counted on a successful call.
/// </summary>
/// <remarks>
/// One failure is one connection lost with calls in flight, however many calls it took down. After
/// <see cref="FailureThreshold"/> failures within <see cref="FailureWindow"/> the instance is ejected for
/// <see cref="BaseEjectionTime"/> times the number of times it has been ejected, at most <see cref="MaxEjectionTime"/>;
/// an instance that stayed in for <see cref="MaxEjectionTime"/> starts again from one. At most
/// <see cref="MaxEjectionPercent"/> of the instances are out at once, and an ejected instance is still used when no
/// other is Ready: ejection steers calls, it never refuses them.
/// </remarks>
public sealed class RpcOutlierDetection
{
    /// <summary>Connection failures within <see cref="FailureWindow"/> that eject an instance. At least 1; default 3.</summary>
    public int FailureThreshold { get; set; } = 3;

    /// <summary>The window, from the first failure of a streak, in which <see cref="FailureThreshold"/> failures eject. Default 10 s.</summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first ejection's length; the n-th lasts n times as long. Default 1 s.</summary>
    public TimeSpan BaseEjectionTime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest ejection. At least <see cref="BaseEjectionTime"/>; default 30 s.</summary>
    public TimeSpan MaxEjectionTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most instances, in percent of those the registry lists, ejected at once (rounded down). 1 to 50; default 50.</summary>
    public int MaxEjectionPercent { get; set; } = 50;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first value out of range.</summary>
    internal void Validate()
    {
        const string Prefix = nameof(RpcClientOptions.OutlierDetection) + ".";
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(FailureThreshold, Prefix + nameof(FailureThreshold));
        RpcOptionChecks.Positive(FailureWindow, Prefix + nameof(FailureWindow), allowInfinite: false);
        RpcOptionChecks.Positive(BaseEjectionTime, Prefix + nameof(BaseEjectionTime), allowInfinite: false);
        RpcOptionChecks.Positive(MaxEjectionTime, Prefix + nameof(MaxEjectionTime), allowInfinite: false);
        if (MaxEjectionTime < BaseEjectionTime)
        {
            throw new ArgumentOutOfRangeException(Prefix + nameof(MaxEjectionTime), MaxEjectionTime, $"MaxEjectionTime must be at least BaseEjectionTime ({BaseEjectionTime}).");
        }
        if (MaxEjectionPercent is < 1 or > 50)
        {
            throw new ArgumentOutOfRangeException(Prefix + nameof(MaxEjectionPercent), MaxEjectionPercent, "MaxEjectionPercent must be between 1 and 50: at least half the instances always stay in.");
        }
    }
}
