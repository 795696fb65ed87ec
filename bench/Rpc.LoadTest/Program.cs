using System.Diagnostics;
using System.Globalization;
using Rpc.LoadTest.Contenders;
using Rpc.LoadTest.Hosting;
using Rpc.LoadTest.Measurement;
using Rpc.LoadTest.Reporting;

namespace Rpc.LoadTest;

/// <summary>
/// <c>dotnet run -c Release --project bench/Rpc.LoadTest -- [--quick] [--only sdk,grpc,raw] [--workloads unary-256,stream] [--out DIR]</c>: every
/// contender's server in its own process, every workload in rounds that take the contenders in turn, then a
/// Markdown table and an SVG chart. Exits 1 when a contender fails to complete a workload. <c>serve NAME --port N</c>
/// is the child-process side.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        TelemetryListeners.StartIfAsked();
        if (args.Length > 0 && args[0] == "serve")
        {
            return await ServeCommand.RunAsync(args.Length > 1 ? args[1] : "", int.TryParse(Option(args, "--port"), out int port) ? port : 0);
        }
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine("usage: Rpc.LoadTest [--quick] [--only sdk,grpc,raw] [--workloads unary-1,unary-64,unary-256,stream] [--out DIR] [--warmup SECONDS] [--measure SECONDS] [--rounds N]");
            return 0;
        }
        return await RunAsync(args);
    }

    private static async Task<int> RunAsync(string[] args)
    {
        RunSettings settings = args.Contains("--quick") ? RunSettings.Quick : RunSettings.Full;
        if (double.TryParse(Option(args, "--warmup"), CultureInfo.InvariantCulture, out double warmup))
        {
            settings = settings with { Warmup = TimeSpan.FromSeconds(warmup) };
        }
        if (double.TryParse(Option(args, "--measure"), CultureInfo.InvariantCulture, out double measure))
        {
            settings = settings with { Measure = TimeSpan.FromSeconds(measure) };
        }
        if (int.TryParse(Option(args, "--rounds"), out int rounds) && rounds > 0)
        {
            settings = settings with { Rounds = rounds };
        }
        if (settings != RunSettings.Quick && settings != RunSettings.Full)
        {
            settings = settings with { Mode = settings.Mode + " (custom settings)" };
        }
        string[]? only = Option(args, "--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        List<Contender> contenders = Contender.All.Where(c => only is null || only.Contains(c.Name)).ToList();
        if (contenders.Count == 0)
        {
            Console.Error.WriteLine($"--only names none of: {string.Join(", ", Contender.All.Select(c => c.Name))}");
            return 2;
        }
        // Every contender's four phases, every round, with room to start and stop them (a few seconds each).
        TimeSpan needed = contenders.Count * (settings.ConnectionWarmup + TimeSpan.FromSeconds(4)) + 4 * contenders.Count * settings.Rounds * (settings.Warmup + settings.Measure) + TimeSpan.FromSeconds(30);
        settings = settings with { Deadline = needed > settings.Deadline ? needed : settings.Deadline };
        string[]? workloadNames = Option(args, "--workloads")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        List<Workload> workloads = Workload.All.Where(w => workloadNames is null || workloadNames.Contains(w.Name)).ToList();
        if (workloads.Count == 0)
        {
            Console.Error.WriteLine($"--workloads names none of: {string.Join(", ", Workload.All.Select(w => w.Name))}");
            return 2;
        }
        if (workloads.Count < Workload.All.Count)
        {
            settings = settings with { Mode = settings.Mode + " (some workloads)" };
        }
        string output = Option(args, "--out") ?? DefaultOutputDirectory();

        // Whatever happens, the run ends: past the deadline the servers are killed and the tool exits.
        using var deadline = new Timer(_ =>
        {
            Console.Error.WriteLine($"The {settings.Mode} run passed its {settings.Deadline.TotalSeconds:0} s deadline; stopping.");
            ServerProcess.KillAll();
            Environment.Exit(3);
        }, null, settings.Deadline, Timeout.InfiniteTimeSpan);

        Console.WriteLine($"Rpc load test, {settings.Mode} mode: {string.Join(", ", contenders.Select(c => c.DisplayName))}; {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        var clock = Stopwatch.StartNew();
        var sessions = new List<ContenderSession>();
        try
        {
            // Every server runs (idle but for its turn) from the first round to the last, so that each round
            // measures the contenders one right after another.
            foreach (Contender contender in contenders)
            {
                sessions.Add(await ContenderSession.StartAsync(contender, settings));
            }
            foreach (Workload workload in workloads)
            {
                for (int round = 1; round <= settings.Rounds; round++)
                {
                    foreach (ContenderSession session in sessions)
                    {
                        await session.MeasureAsync(workload, round, settings);
                    }
                }
            }
        }
        finally
        {
            foreach (ContenderSession session in sessions)
            {
                await session.DisposeAsync();
            }
        }
        List<PhaseResult> results = sessions.SelectMany(session => session.Results(workloads)).ToList();
        clock.Stop();

        var table = new ResultTable(results, contenders.Select(c => c.DisplayName).ToList(), new RawContender().DisplayName);
        string markdown = MarkdownReport.Render(table, settings, new SdkContender().DisplayName, clock.Elapsed, contenders);
        string svg = SvgChart.Render(table, settings);
        Directory.CreateDirectory(output);
        // Only an unmodified full run replaces the committed results.
        string name = settings == RunSettings.Full ? "latest" : "quick";
        string markdownPath = Path.Combine(output, name + ".md");
        string svgPath = Path.Combine(output, name + ".svg");
        await File.WriteAllTextAsync(markdownPath, markdown);
        await File.WriteAllTextAsync(svgPath, svg);

        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine($"Wrote {markdownPath} and {svgPath} ({clock.Elapsed.TotalSeconds:0} s).");
        int failed = results.Count(r => r.Status == PhaseStatus.Failed);
        if (failed > 0)
        {
            Console.Error.WriteLine($"{failed} phase(s) failed.");
            return 1;
        }
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    // bench/results of the repository this tool is in, found from the working directory or the binary's.
    private static string DefaultOutputDirectory()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                if (Directory.Exists(Path.Combine(dir.FullName, "bench", "Rpc.LoadTest")))
                {
                    return Path.Combine(dir.FullName, "bench", "results");
                }
            }
        }
        return Path.Combine(Directory.GetCurrentDirectory(), "loadtest-results");
    }
}
