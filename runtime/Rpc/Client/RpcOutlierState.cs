using System;

namespace Rpc.Client;

/// <summary>
/// One instance's standing with passive outlier ejection (<see cref="RpcOutlierDetection"/>): its streak of
/// connection failures and its ejections. Only failures touch it, never a successful call; the balanced channel
/// reads and writes it under its lock. Times are Environment.TickCount64 milliseconds.
/// </summary>
internal sealed class RpcOutlierState
{
    private RpcClientConnection? _lastFailed;
    private int _streak;
    private long _streakStartTick;
    private int _ejections;
    private long _ejectedUntilTick;

    /// <summary>True while the instance is ejected.</summary>
    public bool IsEjected(long now) => now < _ejectedUntilTick;

    /// <summary>Times this instance has been ejected, for tests.</summary>
    public int Ejections => _ejections;

    /// <summary>
    /// Counts a call that failed because <paramref name="connection"/> dropped; a connection counts once however
    /// many calls it took down. True when the streak has reached the threshold (the caller decides whether the cap
    /// on ejected instances allows an ejection now).
    /// </summary>
    public bool RecordFailure(RpcClientConnection connection, long now, Policy policy)
    {
        if (ReferenceEquals(_lastFailed, connection) || IsEjected(now))
        {
            return false;
        }
        _lastFailed = connection;
        if (_streak == 0 || now - _streakStartTick > policy.FailureWindowMs)
        {
            _streak = 0;
            _streakStartTick = now;
        }
        _streak++;
        return _streak >= policy.FailureThreshold;
    }

    /// <summary>Ejects the instance and returns for how long: the base time times the ejections so far, capped.</summary>
    public TimeSpan Eject(long now, Policy policy)
    {
        // An instance that stayed in for the longest ejection time has redeemed itself: it starts again from one.
        if (_ejections > 0 && now - _ejectedUntilTick > policy.MaxEjectionMs)
        {
            _ejections = 0;
        }
        _ejections++;
        long length = Math.Min(policy.BaseEjectionMs * _ejections, policy.MaxEjectionMs);
        _ejectedUntilTick = now + length;
        _streak = 0;
        return TimeSpan.FromMilliseconds(length);
    }

    /// <summary>The options of <see cref="RpcOutlierDetection"/>, copied when the client is created.</summary>
    internal sealed class Policy
    {
        public Policy(RpcOutlierDetection options)
        {
            FailureThreshold = options.FailureThreshold;
            FailureWindowMs = (long)options.FailureWindow.TotalMilliseconds;
            BaseEjectionMs = Math.Max(1, (long)options.BaseEjectionTime.TotalMilliseconds);
            MaxEjectionMs = Math.Max(BaseEjectionMs, (long)options.MaxEjectionTime.TotalMilliseconds);
            MaxEjectionPercent = options.MaxEjectionPercent;
        }

        public int FailureThreshold { get; }

        public long FailureWindowMs { get; }

        public long BaseEjectionMs { get; }

        public long MaxEjectionMs { get; }

        public int MaxEjectionPercent { get; }

        /// <summary>How many of <paramref name="instances"/> may be ejected at once (rounded down).</summary>
        public int MaxEjected(int instances) => instances * MaxEjectionPercent / 100;
    }
}
