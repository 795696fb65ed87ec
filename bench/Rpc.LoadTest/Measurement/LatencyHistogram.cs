using System.Diagnostics;
using System.Numerics;

namespace Rpc.LoadTest.Measurement;

/// <summary>
/// Counts latencies in log-linear buckets (128 per power of two, so a reported value is within 0.8% of the
/// truth), in a preallocated array: recording allocates nothing and costs a few instructions. One per thread that
/// runs callers (<see cref="ThreadLatencyHistograms"/>); <see cref="Add"/> merges them after a phase.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int LinearLimit = SubBuckets * 2;
    private const int BucketCount = LinearLimit + (64 - SubBucketBits - 1) * SubBuckets;

    private readonly long[] _counts = new long[BucketCount];

    /// <summary>How many values were recorded.</summary>
    public long Count { get; private set; }

    /// <summary>Records one latency in <see cref="Stopwatch"/> ticks.</summary>
    public void Record(long ticks)
    {
        _counts[IndexOf(Math.Max(ticks, 0))]++;
        Count++;
    }

    public void Add(LatencyHistogram other)
    {
        for (int i = 0; i < BucketCount; i++)
        {
            _counts[i] += other._counts[i];
        }
        Count += other.Count;
    }

    public void Reset()
    {
        Array.Clear(_counts);
        Count = 0;
    }

    /// <summary>The value at <paramref name="quantile"/> (0.5 for the median), in microseconds; NaN when empty.</summary>
    public double PercentileMicroseconds(double quantile)
    {
        if (Count == 0)
        {
            return double.NaN;
        }
        long rank = Math.Max(1, (long)Math.Ceiling(quantile * Count));
        long seen = 0;
        for (int i = 0; i < BucketCount; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return MidpointOf(i) * 1_000_000.0 / Stopwatch.Frequency;
            }
        }
        return double.NaN;
    }

    // Values below LinearLimit have a bucket each; above, each power of two is split into SubBuckets buckets.
    private static int IndexOf(long value)
    {
        if (value < LinearLimit)
        {
            return (int)value;
        }
        int shift = 63 - BitOperations.LeadingZeroCount((ulong)value) - SubBucketBits;
        return LinearLimit + (shift - 1) * SubBuckets + (int)(value >> shift) - SubBuckets;
    }

    private static double MidpointOf(int index)
    {
        if (index < LinearLimit)
        {
            return index;
        }
        int shift = (index - LinearLimit) / SubBuckets + 1;
        long top = (index - LinearLimit) % SubBuckets + SubBuckets;
        return ((top << shift) + ((top + 1) << shift)) / 2.0;
    }
}
