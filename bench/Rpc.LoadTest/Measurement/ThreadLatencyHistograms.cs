namespace Rpc.LoadTest.Measurement;

/// <summary>
/// Where callers record latencies: one <see cref="LatencyHistogram"/> per thread that runs callers, merged after a
/// phase. A histogram per caller (59 KB each) made every recording touch a bucket of one of 256 histograms that
/// the other 255 callers' calls had pushed out of the cache: up to a fifth of the client's CPU went to the load
/// tool's bookkeeping, more for a contender with a larger working set of its own. Per thread, the few buckets in
/// use stay cached and no two threads share a histogram.
/// </summary>
internal static class ThreadLatencyHistograms
{
    [ThreadStatic]
    private static LatencyHistogram? t_histogram;

    private static readonly List<LatencyHistogram> s_all = new();

    private static volatile int s_phase;

    /// <summary>
    /// The phase now recording; a caller reads it when it starts and hands it to every <see cref="Record"/>, so
    /// that a caller left over from an earlier phase (one that outlived its phase's timeout) records nothing into
    /// a later phase's histograms.
    /// </summary>
    public static int Phase => s_phase;

    public static void Record(int phase, long ticks)
    {
        if (phase == s_phase)
        {
            (t_histogram ?? Register()).Record(ticks);
        }
    }

    /// <summary>Empties every thread's histogram and starts a new phase; only while no caller of this phase runs.</summary>
    public static void ResetAll()
    {
        lock (s_all)
        {
            s_phase++;
            foreach (LatencyHistogram histogram in s_all)
            {
                histogram.Reset();
            }
        }
    }

    /// <summary>
    /// Every thread's recordings in one histogram; only after the callers finished (their tasks' completion orders
    /// their recordings before this read).
    /// </summary>
    public static LatencyHistogram Merge()
    {
        var merged = new LatencyHistogram();
        lock (s_all)
        {
            foreach (LatencyHistogram histogram in s_all)
            {
                merged.Add(histogram);
            }
        }
        return merged;
    }

    private static LatencyHistogram Register()
    {
        var histogram = new LatencyHistogram();
        lock (s_all)
        {
            s_all.Add(histogram);
        }
        t_histogram = histogram;
        return histogram;
    }
}
