namespace Rpc.LoadTest.Measurement;

/// <summary>One caller's budget and record for one phase: stop at <see cref="StopTimestamp"/> or after <see cref="MaxCalls"/> calls.</summary>
internal sealed class CallerState
{
    public CallerState(int firstId) => FirstId = firstId;

    /// <summary>The id of this caller's first request; ids then count up.</summary>
    public int FirstId { get; }

    /// <summary>The <see cref="System.Diagnostics.Stopwatch"/> timestamp after which no new call starts.</summary>
    public long StopTimestamp { get; set; }

    public long MaxCalls { get; set; }

    /// <summary>Calls completed in the phase.</summary>
    public long Calls { get; set; }

    public LatencyHistogram Histogram { get; } = new();

    /// <summary>Ready for the next phase; the histogram is kept, not reallocated.</summary>
    public void Reset(long stopTimestamp, long maxCalls)
    {
        StopTimestamp = stopTimestamp;
        MaxCalls = maxCalls;
        Calls = 0;
        Histogram.Reset();
    }
}
