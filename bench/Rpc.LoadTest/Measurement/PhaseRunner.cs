using System.Diagnostics;
using Rpc.LoadTest.Contenders;
using Rpc.LoadTest.Hosting;

namespace Rpc.LoadTest.Measurement;

/// <summary>Runs one workload against one connection: a warm-up, then a measured phase bounded in time and count.</summary>
internal static class PhaseRunner
{
    /// <summary>Traffic before the first phase, so that every contender is measured with optimized code.</summary>
    public static async Task WarmUpAsync(ILoadConnection connection, RunSettings settings)
    {
        var callers = new CallerState[64];
        for (int i = 0; i < callers.Length; i++)
        {
            callers[i] = new CallerState(i * 1_000_000);
        }
        await RunCallersAsync(connection, callers, settings.ConnectionWarmup, settings.MaxCallsPerPhase / callers.Length, settings.PhaseTimeout);
    }

    public static async Task<PhaseResult> RunAsync(string contender, ILoadConnection connection, ServerGroup server, Workload workload, RunSettings settings)
    {
        if (!workload.IsStream)
        {
            return await RunUnaryAsync(contender, connection, server, workload, settings);
        }
        if (connection.StreamingUnavailableReason is { } reason)
        {
            return new PhaseResult(contender, workload, PhaseStatus.NotAvailable, reason);
        }
        return await RunStreamAsync(contender, connection, server, workload, settings);
    }

    private static async Task<PhaseResult> RunUnaryAsync(string contender, ILoadConnection connection, ServerGroup server, Workload workload, RunSettings settings)
    {
        var callers = new CallerState[workload.Callers];
        for (int i = 0; i < callers.Length; i++)
        {
            callers[i] = new CallerState(i * 1_000_000);
        }
        long perCaller = Math.Max(1, settings.MaxCallsPerPhase / callers.Length);

        await RunCallersAsync(connection, callers, settings.Warmup, perCaller, settings.PhaseTimeout);

        Snapshot before = await Snapshot.TakeAsync(server, atStart: true);
        TimeSpan elapsed = await RunCallersAsync(connection, callers, settings.Measure, perCaller, settings.PhaseTimeout);
        Snapshot after = await Snapshot.TakeAsync(server, atStart: false);

        LatencyHistogram latency = ThreadLatencyHistograms.Merge();
        long calls = 0;
        foreach (CallerState caller in callers)
        {
            calls += caller.Calls;
        }
        return Measured(contender, workload, calls, elapsed, before, after) with
        {
            P50Microseconds = latency.PercentileMicroseconds(0.50),
            P99Microseconds = latency.PercentileMicroseconds(0.99),
        };
    }

    // Every caller starts at once and stops at the same deadline (or at its share of the call budget).
    private static async Task<TimeSpan> RunCallersAsync(ILoadConnection connection, CallerState[] callers, TimeSpan duration, long perCaller, TimeSpan timeout)
    {
        long start = Stopwatch.GetTimestamp();
        long stop = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var running = new Task[callers.Length];
        for (int i = 0; i < callers.Length; i++)
        {
            callers[i].Reset(stop, perCaller);
        }
        ThreadLatencyHistograms.ResetAll();
        for (int i = 0; i < callers.Length; i++)
        {
            running[i] = connection.RunCallerAsync(callers[i]);
        }
        await Task.WhenAll(running).WaitAsync(duration + timeout);
        return Stopwatch.GetElapsedTime(start);
    }

    // Streams of StreamItems items, one after another until the measured time is up (at least one, at most 100),
    // so that a fast contender is measured over more than a few milliseconds of CPU time.
    private static async Task<PhaseResult> RunStreamAsync(string contender, ILoadConnection connection, ServerGroup server, Workload workload, RunSettings settings)
    {
        using var timeout = new CancellationTokenSource(settings.Measure + settings.PhaseTimeout);
        await Expect(settings.StreamWarmupItems, connection.StreamAsync(settings.StreamWarmupItems, timeout.Token));

        Snapshot before = await Snapshot.TakeAsync(server, atStart: true);
        long start = Stopwatch.GetTimestamp();
        long received = 0;
        for (int streams = 0; streams < 100 && (streams == 0 || Stopwatch.GetElapsedTime(start) < settings.Measure); streams++)
        {
            received += await Expect(settings.StreamItems, connection.StreamAsync(settings.StreamItems, timeout.Token));
        }
        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        Snapshot after = await Snapshot.TakeAsync(server, atStart: false);
        return Measured(contender, workload, received, elapsed, before, after);
    }

    private static async Task<long> Expect(int count, ValueTask<long> stream)
    {
        long received = await stream;
        if (received != count)
        {
            throw new InvalidDataException($"The stream delivered {received} items instead of {count}.");
        }
        return received;
    }

    private static PhaseResult Measured(string contender, Workload workload, long operations, TimeSpan elapsed, Snapshot before, Snapshot after)
    {
        TimeSpan wall = after.Wall - before.Wall;
        ProcessCounters c0 = before.Client, c1 = after.Client, s0 = before.Server, s1 = after.Server;
        return new PhaseResult(contender, workload, PhaseStatus.Measured)
        {
            Operations = operations,
            Elapsed = elapsed,
            ClientCpuPercent = 100 * (c1.Cpu - c0.Cpu) / wall,
            ServerCpuPercent = 100 * (s1.Cpu - s0.Cpu) / wall,
            ClientBytesPerOperation = ProcessCounters.PerOperation(c0.Allocated, c1.Allocated, operations),
            ServerBytesPerOperation = ProcessCounters.PerOperation(s0.Allocated, s1.Allocated, operations),
            ClientWorkItemsPerOperation = ProcessCounters.PerOperation(c0.WorkItems, c1.WorkItems, operations),
            ServerWorkItemsPerOperation = ProcessCounters.PerOperation(s0.WorkItems, s1.WorkItems, operations),
            ClientContextSwitchesPerOperation = ProcessCounters.PerOperation(c0.ContextSwitches, c1.ContextSwitches, operations),
            ServerContextSwitchesPerOperation = ProcessCounters.PerOperation(s0.ContextSwitches, s1.ContextSwitches, operations),
            OtherCpuPercent = before.MachineBusy < TimeSpan.Zero
                ? double.NaN
                : Math.Max(0, 100 * ((after.MachineBusy - before.MachineBusy) - (c1.Cpu - c0.Cpu) - (s1.Cpu - s0.Cpu)) / wall),
            ClientGen0Collections = c1.Gen0 - c0.Gen0,
            ServerGen0Collections = s0.Gen0 < 0 || s1.Gen0 < 0 ? -1 : s1.Gen0 - s0.Gen0,
        };
    }

    /// <summary>Both sides' counters at one moment.</summary>
    private readonly record struct Snapshot(TimeSpan Wall, ProcessCounters Client, ProcessCounters Server, TimeSpan MachineBusy)
    {
        private static readonly Stopwatch s_clock = Stopwatch.StartNew();

        /// <summary>
        /// Reads the client's own counters last at the start of a phase and first at its end, so that taking the
        /// snapshot (a process object, the query to the server) is never counted against the phase.
        /// </summary>
        public static async Task<Snapshot> TakeAsync(ServerGroup server, bool atStart)
        {
            ProcessCounters client = atStart ? default : ProcessCounters.ReadOwn();
            ProcessCounters serverCounters = await server.ReadCountersAsync();
            if (atStart)
            {
                client = ProcessCounters.ReadOwn();
            }
            return new Snapshot(s_clock.Elapsed, client, serverCounters, ProcessCounters.ReadMachineBusyTime());
        }
    }
}
