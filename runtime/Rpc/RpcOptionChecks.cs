using System;
using System.Threading;

namespace Rpc;

/// <summary>The checks options share, so that every option fails with the same kind of message.</summary>
internal static class RpcOptionChecks
{
    private static readonly TimeSpan s_minKeepAlive = TimeSpan.FromMilliseconds(10);

    public static void Positive(TimeSpan value, string name, bool allowInfinite = true)
    {
        if (value <= TimeSpan.Zero && !(allowInfinite && value == Timeout.InfiniteTimeSpan))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive{(allowInfinite ? " or Timeout.InfiniteTimeSpan" : "")}.");
        }
    }

    public static void KeepAlive(TimeSpan value, string name)
    {
        if (value != Timeout.InfiniteTimeSpan && value < s_minKeepAlive)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 10 ms, or Timeout.InfiniteTimeSpan to turn it off.");
        }
    }

    public static void Optional(TimeSpan? value, string name)
    {
        if (value is { } set && set != Timeout.InfiniteTimeSpan && set <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, set, $"{name} must be positive, Timeout.InfiniteTimeSpan or null.");
        }
    }
}
