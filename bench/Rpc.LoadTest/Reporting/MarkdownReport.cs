using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Rpc.LoadTest.Contenders;
using Rpc.LoadTest.Measurement;

namespace Rpc.LoadTest.Reporting;

/// <summary>The run as a Markdown table, with the issue's targets checked against it.</summary>
internal static class MarkdownReport
{
    // The SDK's client allocates these for the caller's own objects: the request (a record with an int and a
    // string reference: 32 B) and the reply (a 40-char string: 104 B). The server allocates the request object,
    // its 32-char text (88 B) and the reply string: 224 B.
    private const int ClientUserBytes = 32 + 104;
    private const int ServerUserBytes = 32 + 88 + 104;

    public static string Render(ResultTable table, RunSettings settings, string sdk, TimeSpan runTime, IReadOnlyList<Contender> contenders)
    {
        var md = new StringBuilder();
        md.AppendLine("# Load test: Rpc SDK, the frameworks users would pick instead, and a raw socket");
        md.AppendLine();
        md.AppendLine(Invariant($"{settings.Mode} mode, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, .NET {Environment.Version}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}; the run took {runTime.TotalSeconds:0} s."));
        md.AppendLine(Invariant($"Each server in its own process on 127.0.0.1, the client load in the tool's process, each contender's connections as the list below says, warmed up with {settings.ConnectionWarmup.TotalSeconds:0.#} s of 64 callers. Unary phases: {settings.Warmup.TotalSeconds:0.#} s warm-up, then {settings.Measure.TotalSeconds:0.#} s measured; stream: {settings.StreamWarmupItems:N0} items to warm up, then streams of {settings.StreamItems:N0} items one after another for the same {settings.Measure.TotalSeconds:0.#} s (at least one)."));
        if (settings.Rounds > 1)
        {
            md.AppendLine(Invariant($"Every workload ran in {settings.Rounds} rounds, each contender once per round, one after another; each row is that contender's median round (all rounds are listed below the table)."));
        }
        md.AppendLine();
        AppendContenders(md, contenders);
        md.AppendLine("| Workload | Contender | calls/s | x raw | p50 µs | p99 µs | p50 x raw | client CPU | server CPU | client B/call | server B/call |");
        md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (PhaseResult result in table.InReportOrder())
        {
            md.AppendLine(Row(table, result));
        }
        md.AppendLine();
        md.AppendLine("For the stream, calls/s is items/s and B/call is bytes per item. CPU is percent of one core over the measured interval (200% is both cores). B/call is `GC.GetTotalAllocatedBytes(precise: true)` over the interval divided by the calls, for the whole process: it includes the process's background work.");
        md.AppendLine();
        AppendRounds(md, table);
        AppendHandOffs(md, table);
        AppendTargets(md, table, sdk);
        AppendPeerTargets(md, table, sdk);
        return md.ToString();
    }

    // What each contender runs on, so that a reader can judge the comparison's fairness.
    private static void AppendContenders(StringBuilder md, IReadOnlyList<Contender> contenders)
    {
        md.AppendLine("What each contender uses:");
        md.AppendLine();
        foreach (Contender contender in contenders)
        {
            md.AppendLine($"- **{contender.DisplayName}** (`{contender.Name}`): {Escape(contender.Uses)}.");
        }
        md.AppendLine();
    }

    private static string Row(ResultTable table, PhaseResult r)
    {
        if (r.Status != PhaseStatus.Measured)
        {
            string what = r.Status == PhaseStatus.NotAvailable ? $"n/a ({r.Note})" : $"FAILED: {r.Note}";
            return $"| {r.Workload.Title} | {r.Contender} | {Escape(what)} | | | | | | | | |";
        }
        bool unary = !r.Workload.IsStream;
        return Invariant($"| {r.Workload.Title} | {r.Contender} | {r.PerSecond:N0} | {Ratio(table.ThroughputRatio(r))} | {(unary ? Micros(r.P50Microseconds) : "")} | {(unary ? Micros(r.P99Microseconds) : "")} | {(unary ? Ratio(table.MedianRatio(r)) : "")} | {r.ClientCpuPercent:0}% | {r.ServerCpuPercent:0}% | {Number(r.ClientBytesPerOperation)} | {Number(r.ServerBytesPerOperation)} |");
    }

    // The spread behind each median: a reader can see whether a ratio held in every round or hinged on one.
    private static void AppendRounds(StringBuilder md, ResultTable table)
    {
        if (table.Results.All(r => r.RoundsPerSecond.Count < 2))
        {
            return;
        }
        md.AppendLine("### Rounds");
        md.AppendLine();
        md.AppendLine("Calls/s (items/s for the stream) of every round in the order they ran, and for unary workloads the p50 in µs; the row above is the median round.");
        md.AppendLine();
        md.AppendLine("| Workload | Contender | calls/s by round | p50 µs by round |");
        md.AppendLine("| --- | --- | ---: | ---: |");
        foreach (PhaseResult r in table.MeasuredInReportOrder())
        {
            string rates = string.Join(" / ", r.RoundsPerSecond.Select(Number));
            string p50s = r.Workload.IsStream ? "" : string.Join(" / ", r.RoundsP50Microseconds.Select(Micros));
            md.AppendLine($"| {r.Workload.Title} | {r.Contender} | {rates} | {p50s} |");
        }
        md.AppendLine();
    }

    // Not timings but counts, so steadier across runs than the timings: how often each call crossed threads.
    private static void AppendHandOffs(StringBuilder md, ResultTable table)
    {
        md.AppendLine("### Hand-offs per call");
        md.AppendLine();
        md.AppendLine("Thread-pool work items completed and context switches (all threads, `getrusage`) per call, and gen0 collections in the interval; client / server. Other CPU is what every other process on the machine, and the hypervisor (steal), used meanwhile (from /proc/stat), in percent of one core: where it is high, the timings of that row are disturbed.");
        md.AppendLine();
        md.AppendLine("| Workload | Contender | work items / call | context switches / call | gen0 GCs | other CPU |");
        md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: |");
        foreach (PhaseResult r in table.MeasuredInReportOrder())
        {
            md.AppendLine(Invariant($"| {r.Workload.Title} | {r.Contender} | {Fraction(r.ClientWorkItemsPerOperation)} / {Fraction(r.ServerWorkItemsPerOperation)} | {Fraction(r.ClientContextSwitchesPerOperation)} / {Fraction(r.ServerContextSwitchesPerOperation)} | {r.ClientGen0Collections} / {(r.ServerGen0Collections < 0 ? "?" : r.ServerGen0Collections)} | {(double.IsNaN(r.OtherCpuPercent) ? "?" : Invariant($"{r.OtherCpuPercent:0}%"))} |"));
        }
        md.AppendLine();
    }

    private static string Fraction(double value) => double.IsNaN(value) ? "?" : Invariant($"{value:0.00}");

    private static void AppendTargets(StringBuilder md, ResultTable table, string sdk)
    {
        Workload one = Workload.All[0];
        md.AppendLine("## Targets of issue 5 for the SDK (ratios from this run)");
        md.AppendLine();
        md.AppendLine(Invariant($"Other CPU is the most that other processes and the hypervisor took in any round of the rows a timing target compares (the SDK's, then raw's); over {DisturbedOtherCpuPercent}% of a core, something else took the CPU during the measurement and the check says little either way."));
        md.AppendLine();
        md.AppendLine("| Target | This run | Met | Other CPU |");
        md.AppendLine("| --- | ---: | --- | ---: |");
        if (table.Find(one, sdk) is { Status: PhaseStatus.Measured } latency)
        {
            double ratio = table.MedianRatio(latency);
            md.AppendLine(Invariant($"| 1 caller: p50 at most 1.3x raw's | {Ratio(ratio)} | {Met(ratio <= 1.3)} | {OtherCpu(latency, table.Find(one, table.Floor))} |"));
        }
        foreach (Workload workload in table.Workloads.Where(w => w.Callers > 1))
        {
            if (table.Find(workload, sdk) is { Status: PhaseStatus.Measured } busy)
            {
                double ratio = table.ThroughputRatio(busy);
                md.AppendLine(Invariant($"| {workload.Callers} callers: at least 0.6x raw's calls/s | {Ratio(ratio)} | {Met(ratio >= 0.6)} | {OtherCpu(busy, table.Find(workload, table.Floor))} |"));
            }
        }
        List<PhaseResult> unary = table.Results.Where(r => r.Contender == sdk && r.Status == PhaseStatus.Measured && !r.Workload.IsStream).ToList();
        if (unary.Count > 0)
        {
            // Every unary workload must meet it: pools that are too small show only at high concurrency.
            string client = string.Join(", ", unary.Select(r => Invariant($"{r.Workload.Callers}: {Number(r.ClientBytesPerOperation - ClientUserBytes)}")));
            string server = string.Join(", ", unary.Select(r => Invariant($"{r.Workload.Callers}: {Number(r.ServerBytesPerOperation - ServerUserBytes)}")));
            md.AppendLine(Invariant($"| client: at most one small object (taken as 48 B) per call beyond request and reply ({ClientUserBytes} B) | B more per call, by callers: {client} | {Met(unary.All(r => r.ClientBytesPerOperation - ClientUserBytes <= 48))} | |"));
            md.AppendLine(Invariant($"| server: nothing beyond the user's objects ({ServerUserBytes} B: request, its text, reply; 8 B of slack for background work) | B more per call, by callers: {server} | {Met(unary.All(r => r.ServerBytesPerOperation - ServerUserBytes <= 8))} | |"));
        }
        if (table.Find(Workload.All[^1], sdk) is { } stream)
        {
            md.AppendLine(stream.Status == PhaseStatus.Measured
                ? Invariant($"| stream: at least 2 million items/s | {stream.PerSecond:N0} | {Met(stream.PerSecond >= 2_000_000)} | {OtherCpu(stream, null)} |")
                : $"| stream: at least 2 million items/s | {Escape(stream.Note ?? "")} | not yet | |");
        }
    }

    // Issue 23's targets: against every contender that is neither ours (the SDK, also over TLS) nor the raw floor.
    private static void AppendPeerTargets(StringBuilder md, ResultTable table, string sdk)
    {
        List<string> peers = table.Contenders.Where(c => c != table.Floor && !c.StartsWith("Rpc SDK", StringComparison.Ordinal)).ToList();
        if (peers.Count == 0)
        {
            return;
        }
        md.AppendLine();
        md.AppendLine("## Targets of issue 23 for the SDK against its peers (this run)");
        md.AppendLine();
        md.AppendLine("| Target | SDK | Best peer | Met |");
        md.AppendLine("| --- | ---: | --- | --- |");
        foreach (Workload workload in table.Workloads.Where(w => !w.IsStream))
        {
            if (table.Find(workload, sdk) is not { Status: PhaseStatus.Measured } ours)
            {
                continue;
            }
            List<PhaseResult> measured = peers.Select(peer => table.Find(workload, peer)).OfType<PhaseResult>().Where(r => r.Status == PhaseStatus.Measured).ToList();
            if (measured.Count == 0)
            {
                continue;
            }
            if (workload.Callers == 1)
            {
                PhaseResult best = measured.MinBy(r => r.P50Microseconds)!;
                md.AppendLine(Invariant($"| 1 caller: the lowest p50 | {Micros(ours.P50Microseconds)} µs | {best.Contender}: {Micros(best.P50Microseconds)} µs | {Met(ours.P50Microseconds <= best.P50Microseconds)} |"));
            }
            else
            {
                PhaseResult best = measured.MaxBy(r => r.PerSecond)!;
                md.AppendLine(Invariant($"| {workload.Callers} callers: the most calls/s | {Number(ours.PerSecond)} | {best.Contender}: {Number(best.PerSecond)} ({ours.PerSecond / best.PerSecond:0.0}x) | {Met(ours.PerSecond >= best.PerSecond)} |"));
            }
        }
    }

    private static string Met(bool met) => met ? "yes" : "**no**";

    // Percent of one core that other processes (or the hypervisor's steal) took during a row's interval, above which
    // a timing check is marked disturbed: a quarter of one of this machine's two cores changes rates by more than
    // the margins the targets are judged by.
    private const int DisturbedOtherCpuPercent = 25;

    private static string OtherCpu(PhaseResult sdk, PhaseResult? raw)
    {
        IEnumerable<PhaseResult> rows = raw is { Status: PhaseStatus.Measured } ? [sdk, raw] : [sdk];
        if (rows.Any(r => double.IsNaN(r.PeakOtherCpuPercent)))
        {
            return "?";
        }
        string shares = string.Join(" / ", rows.Select(r => Invariant($"{r.PeakOtherCpuPercent:0}%")));
        return rows.Any(r => r.PeakOtherCpuPercent > DisturbedOtherCpuPercent) ? shares + " (disturbed)" : shares;
    }

    private static string Ratio(double ratio) => double.IsNaN(ratio) ? "" : Invariant($"{ratio:0.00}x");

    private static string Micros(double value) => double.IsNaN(value) ? "?" : Invariant($"{value:N1}");

    private static string Number(double value) => double.IsNaN(value) ? "?" : Invariant($"{value:N0}");

    private static string Escape(string text) => text.Replace("|", "\\|").ReplaceLineEndings(" ");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
