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

    public static async Task<PhaseResult> RunAsync(string contender, ILoadConnection connection, ServerProcess server, Workload workload, RunSettings settings)
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

    private static async Task<PhaseResult> RunUnaryAsync(string contender, ILoadConnection connection, ServerProcess server, Workload workload, RunSettings settings)
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

        var latency = new LatencyHistogram();
        long calls = 0;
        foreach (CallerState caller in callers)
        {
            latency.Add(caller.Histogram);
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
        for (int i = 0; i < callers.Length; i++)
        {
            running[i] = connection.RunCallerAsync(callers[i]);
        }
        await Task.WhenAll(running).WaitAsync(duration + timeout);
        return Stopwatch.GetElapsedTime(start);
    }

    // Streams of StreamItems items, one after another until the measured time is up (at least one, at most 100),
    // so that a fast contender is measured over more than a few milliseconds of CPU time.
    private static async Task<PhaseResult> RunStreamAsync(string contender, ILoadConnection connection, ServerProcess server, Workload workload, RunSettings settings)
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
        double perOperation = Math.Max(operations, 1);
        return new PhaseResult(contender, workload, PhaseStatus.Measured)
        {
            Operations = operations,
            Elapsed = elapsed,
            ClientCpuPercent = 100 * (after.ClientCpu - before.ClientCpu) / wall,
            ServerCpuPercent = 100 * (after.ServerCpu - before.ServerCpu) / wall,
            ClientBytesPerOperation = (after.ClientAllocated - before.ClientAllocated) / perOperation,
            ServerBytesPerOperation = before.ServerAllocated < 0 || after.ServerAllocated < 0
                ? double.NaN
                : (after.ServerAllocated - before.ServerAllocated) / perOperation,
            ClientGen0Collections = after.ClientGen0 - before.ClientGen0,
        };
    }

    /// <summary>Process-wide counters of both sides at one moment.</summary>
    private readonly record struct Snapshot(TimeSpan Wall, TimeSpan ClientCpu, TimeSpan ServerCpu, long ClientAllocated, long ServerAllocated, int ClientGen0)
    {
        private static readonly Stopwatch s_clock = Stopwatch.StartNew();

        /// <summary>
        /// Reads the client's allocation counter last at the start of a phase and first at its end, so that the
        /// snapshot's own allocations (a process object, the query to the server) are never counted.
        /// </summary>
        public static async Task<Snapshot> TakeAsync(ServerProcess server, bool atStart)
        {
            long clientAllocated = atStart ? 0 : GC.GetTotalAllocatedBytes(precise: true);
            int gen0 = GC.CollectionCount(0);
            long serverAllocated = await server.GetAllocatedBytesAsync();
            using Process self = Process.GetCurrentProcess();
            TimeSpan clientCpu = self.TotalProcessorTime;
            TimeSpan serverCpu = server.CpuTime;
            if (atStart)
            {
                gen0 = GC.CollectionCount(0);
                clientAllocated = GC.GetTotalAllocatedBytes(precise: true);
            }
            return new Snapshot(s_clock.Elapsed, clientCpu, serverCpu, clientAllocated, serverAllocated, gen0);
        }
    }
}
