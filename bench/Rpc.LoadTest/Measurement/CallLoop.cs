using System.Diagnostics;
using Rpc.LoadTest.Contracts;

namespace Rpc.LoadTest.Measurement;

/// <summary>The loop every caller of every contender runs: call, time, check, repeat, until the budget runs out.</summary>
internal static class CallLoop
{
    /// <summary>
    /// Calls <paramref name="call"/> one request at a time. The loop's state machine is allocated once per caller
    /// and phase, and the latency goes into a preallocated histogram, so the bytes allocated per call are the
    /// contender's own.
    /// </summary>
    public static async Task RunAsync<TReply>(Func<int, ValueTask<TReply>> call, Func<TReply, int> replyLength, CallerState state)
    {
        int id = state.FirstId;
        long calls = 0;
        long start = Stopwatch.GetTimestamp();
        while (calls < state.MaxCalls && start < state.StopTimestamp)
        {
            TReply reply = await call(id++).ConfigureAwait(false);
            long end = Stopwatch.GetTimestamp();
            if (replyLength(reply) != Payload.ReplyLength)
            {
                throw new InvalidDataException($"Request {id - 1} got a reply of {replyLength(reply)} chars instead of {Payload.ReplyLength}.");
            }
            state.Histogram.Record(end - start);
            calls++;
            start = end;
        }
        state.Calls = calls;
    }
}
