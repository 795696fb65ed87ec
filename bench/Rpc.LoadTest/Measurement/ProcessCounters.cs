using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Rpc.LoadTest.Measurement;

/// <summary>
/// One process's cumulative counters at one moment: CPU time, bytes allocated, thread-pool work items completed
/// (how many hand-offs between threads the process made), gen0 collections, and context switches (all threads,
/// voluntary and involuntary). Unknown counters are -1.
/// </summary>
internal readonly record struct ProcessCounters(TimeSpan Cpu, long Allocated, long WorkItems, int Gen0, long ContextSwitches)
{
    /// <summary>This process's counters as one line, in the order <see cref="Combine"/> reads them.</summary>
    public static string FormatOwnCounters() =>
        $"{GC.GetTotalAllocatedBytes(precise: true)} {ThreadPool.CompletedWorkItemCount} {GC.CollectionCount(0)} {ReadOwnContextSwitches()}";

    /// <summary>Combines counters as <see cref="FormatOwnCounters"/> wrote them (null: unknown) with the process's CPU time.</summary>
    public static ProcessCounters Combine(string? own, TimeSpan cpu)
    {
        string[] parts = own?.Split(' ') ?? [];
        return parts.Length == 4
            ? new ProcessCounters(cpu, long.Parse(parts[0]), long.Parse(parts[1]), int.Parse(parts[2]), long.Parse(parts[3]))
            : new ProcessCounters(cpu, -1, -1, -1, -1);
    }

    // getrusage(RUSAGE_SELF) counts every thread the process ever had, including those that ended.
    private static long ReadOwnContextSwitches()
    {
        if (!OperatingSystem.IsLinux())
        {
            return -1;
        }
        long[] usage = new long[18];
        if (getrusage(0, usage) != 0)
        {
            return -1;
        }
        // struct rusage on 64-bit Linux: two timevals (4 longs), then 14 longs; ru_nvcsw and ru_nivcsw are the last two.
        return usage[16] + usage[17];
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, [Out] long[] usage);

    /// <summary>
    /// CPU time every process on the machine has used since boot (user, nice, system, irq, softirq, steal in
    /// /proc/stat), so that a phase can tell how much of the machine something else took; -1 elsewhere.
    /// </summary>
    public static TimeSpan ReadMachineBusyTime()
    {
        const string stat = "/proc/stat";
        if (!File.Exists(stat))
        {
            return TimeSpan.FromTicks(-1);
        }
        string[] fields = File.ReadLines(stat).First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // cpu user nice system idle iowait irq softirq steal ...: everything but idle and iowait is busy.
        long busy = 0;
        foreach (int index in new[] { 1, 2, 3, 6, 7, 8 })
        {
            busy += long.Parse(fields[index]);
        }
        // The kernel counts in USER_HZ ticks, 100 per second on Linux.
        return TimeSpan.FromSeconds(busy / 100.0);
    }

    /// <summary>This process's counters now.</summary>
    public static ProcessCounters ReadOwn()
    {
        using Process self = Process.GetCurrentProcess();
        return Combine(FormatOwnCounters(), self.TotalProcessorTime);
    }

    /// <summary>Several processes' counters as one: each counter summed, unknown (-1) when any process's is.</summary>
    public static ProcessCounters Sum(IReadOnlyList<ProcessCounters> processes)
    {
        if (processes.Count == 1)
        {
            return processes[0];
        }
        ProcessCounters sum = new(TimeSpan.Zero, 0, 0, 0, 0);
        foreach (ProcessCounters p in processes)
        {
            sum = new ProcessCounters(
                sum.Cpu + p.Cpu,
                SumKnown(sum.Allocated, p.Allocated),
                SumKnown(sum.WorkItems, p.WorkItems),
                (int)SumKnown(sum.Gen0, p.Gen0),
                SumKnown(sum.ContextSwitches, p.ContextSwitches));
        }
        return sum;
    }

    private static long SumKnown(long a, long b) => a < 0 || b < 0 ? -1 : a + b;

    /// <summary>The change from <paramref name="before"/>, per operation; NaN where a counter was not available.</summary>
    public static double PerOperation(long before, long after, long operations) =>
        before < 0 || after < 0 ? double.NaN : (after - before) / (double)Math.Max(operations, 1);
}
