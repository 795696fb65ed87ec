using System.Diagnostics;
using Rpc.LoadTest.Contracts;

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

    /// <summary>
    /// Records a call that started at <paramref name="start"/> and just returned a reply of
    /// <paramref name="replyLength"/> chars, in a caller of <paramref name="phase"/>; returns now, the start of the
    /// next call. Static, so that a call's bookkeeping touches no per-caller object (see
    /// <see cref="ThreadLatencyHistograms"/>).
    /// </summary>
    public static long Record(int phase, long start, int id, int replyLength)
    {
        long end = Stopwatch.GetTimestamp();
        if (replyLength != Payload.ReplyLength)
        {
            throw new InvalidDataException($"Request {id} got a reply of {replyLength} chars instead of {Payload.ReplyLength}.");
        }
        ThreadLatencyHistograms.Record(phase, end - start);
        return end;
    }

    /// <summary>Ready for the next phase.</summary>
    public void Reset(long stopTimestamp, long maxCalls)
    {
        StopTimestamp = stopTimestamp;
        MaxCalls = maxCalls;
        Calls = 0;
    }
}
