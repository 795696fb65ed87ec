using System.Diagnostics;

namespace Rpc.LoadTest.Measurement;

/// <summary>
/// One process's cumulative counters at one moment: CPU time, bytes allocated, thread-pool work items completed
/// (how many hand-offs between threads the process made), gen0 collections, and context switches.
/// </summary>
internal readonly record struct ProcessCounters(TimeSpan Cpu, long Allocated, long WorkItems, int Gen0, long ContextSwitches)
{
    /// <summary>The managed counters of this process, in the order the server answers them: allocated, work items, gen0.</summary>
    public static string FormatOwnManagedCounters() =>
        $"{GC.GetTotalAllocatedBytes(precise: true)} {ThreadPool.CompletedWorkItemCount} {GC.CollectionCount(0)}";

    /// <summary>Combines managed counters (as <see cref="FormatOwnManagedCounters"/> wrote them) with what the OS knows of <paramref name="pid"/>.</summary>
    public static ProcessCounters Combine(string? managed, TimeSpan cpu, int pid)
    {
        long allocated = -1, workItems = -1;
        int gen0 = -1;
        string[] parts = managed?.Split(' ') ?? [];
        if (parts.Length == 3)
        {
            allocated = long.Parse(parts[0]);
            workItems = long.Parse(parts[1]);
            gen0 = int.Parse(parts[2]);
        }
        return new ProcessCounters(cpu, allocated, workItems, gen0, ReadContextSwitches(pid));
    }

    /// <summary>Voluntary and involuntary context switches of every thread of <paramref name="pid"/>, from /proc; -1 elsewhere.</summary>
    public static long ReadContextSwitches(int pid)
    {
        string tasks = $"/proc/{pid}/task";
        if (!Directory.Exists(tasks))
        {
            return -1;
        }
        long total = 0;
        foreach (string task in Directory.EnumerateDirectories(tasks))
        {
            try
            {
                foreach (string line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        total += long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim());
                    }
                }
            }
            catch (IOException)
            {
                // The thread ended while we read: its switches are lost, a negligible error.
            }
        }
        return total;
    }

    /// <summary>This process's counters now.</summary>
    public static ProcessCounters ReadOwn()
    {
        using Process self = Process.GetCurrentProcess();
        return Combine(FormatOwnManagedCounters(), self.TotalProcessorTime, Environment.ProcessId);
    }

    /// <summary>The change from <paramref name="before"/>, per operation; NaN where a counter was not available.</summary>
    public static double PerOperation(long before, long after, long operations) =>
        before < 0 || after < 0 ? double.NaN : (after - before) / (double)Math.Max(operations, 1);
}
