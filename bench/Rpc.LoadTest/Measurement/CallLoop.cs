using System.Diagnostics;

namespace Rpc.LoadTest.Measurement;

/// <summary>
/// The loop every caller of every contender runs: call, time, check, repeat, until the budget runs out. There is
/// one loop per reply type rather than one generic loop: a generic async method over a reference type (the string
/// reply of the SDK and of HTTP) runs as shared code that looks its types up at run time on every await, work the
/// raw floor's int reply (a specialized instantiation) would not do. Written out per type, every contender's loop
/// is compiled for its exact types and costs the same.
/// </summary>
internal static class CallLoop
{
    /// <summary>
    /// Calls <paramref name="call"/> one request at a time. The loop's state machine is allocated once per caller
    /// and phase, and the latency goes into its thread's preallocated histogram, so the bytes allocated per call
    /// are the contender's own. The caller's budget is read into locals once: per call, the loop touches its own
    /// state machine, its thread's histogram and the phase number, which only changes between phases.
    /// </summary>
    public static async Task RunAsync(Func<int, ValueTask<string>> call, CallerState state)
    {
        int id = state.FirstId;
        long calls = 0, maxCalls = state.MaxCalls, stop = state.StopTimestamp;
        int phase = ThreadLatencyHistograms.Phase;
        long start = Stopwatch.GetTimestamp();
        while (calls < maxCalls && start < stop)
        {
            string reply = await call(id).ConfigureAwait(false);
            start = CallerState.Record(phase, start, id++, reply.Length);
            calls++;
        }
        state.Calls = calls;
    }

    /// <summary>The same loop for a contender whose reply is checked by its length alone (the raw floor).</summary>
    public static async Task RunAsync(Func<int, ValueTask<int>> call, CallerState state)
    {
        int id = state.FirstId;
        long calls = 0, maxCalls = state.MaxCalls, stop = state.StopTimestamp;
        int phase = ThreadLatencyHistograms.Phase;
        long start = Stopwatch.GetTimestamp();
        while (calls < maxCalls && start < stop)
        {
            int replyLength = await call(id).ConfigureAwait(false);
            start = CallerState.Record(phase, start, id++, replyLength);
            calls++;
        }
        state.Calls = calls;
    }
}
