using System.Diagnostics;
using System.Globalization;
using Rpc.LoadTest.Contenders;
using Rpc.LoadTest.Hosting;
using Rpc.LoadTest.Measurement;
using Rpc.LoadTest.Reporting;

namespace Rpc.LoadTest;

/// <summary>
/// <c>dotnet run -c Release --project bench/Rpc.LoadTest -- [--quick] [--only sdk,http2,raw] [--out DIR]</c>: every
/// contender's server in its own process, every workload, then a Markdown table and an SVG chart. Exits 1 when a
/// contender fails to complete a workload. <c>serve NAME --port N</c> is the child-process side.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        if (args.Length > 0 && args[0] == "serve")
        {
            return await ServeCommand.RunAsync(args.Length > 1 ? args[1] : "", int.TryParse(Option(args, "--port"), out int port) ? port : 0);
        }
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine("usage: Rpc.LoadTest [--quick] [--only sdk,http2,raw] [--out DIR] [--warmup SECONDS] [--measure SECONDS]");
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
        if (settings != RunSettings.Quick && settings != RunSettings.Full)
        {
            settings = settings with { Mode = settings.Mode + " (custom times)" };
        }
        // Three contenders of four phases each, with room to start and stop them.
        TimeSpan needed = 3 * settings.ConnectionWarmup + 12 * (settings.Warmup + settings.Measure) + TimeSpan.FromSeconds(90);
        settings = settings with { Deadline = needed > settings.Deadline ? needed : settings.Deadline };
        string[]? only = Option(args, "--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        List<Contender> contenders = Contender.All.Where(c => only is null || only.Contains(c.Name)).ToList();
        if (contenders.Count == 0)
        {
            Console.Error.WriteLine($"--only names none of: {string.Join(", ", Contender.All.Select(c => c.Name))}");
            return 2;
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
        var results = new List<PhaseResult>();
        foreach (Contender contender in contenders)
        {
            results.AddRange(await RunContenderAsync(contender, settings));
        }
        clock.Stop();

        var table = new ResultTable(results, contenders.Select(c => c.DisplayName).ToList(), new RawContender().DisplayName);
        string markdown = MarkdownReport.Render(table, settings, new SdkContender().DisplayName, clock.Elapsed);
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

    private static async Task<List<PhaseResult>> RunContenderAsync(Contender contender, RunSettings settings)
    {
        Console.WriteLine($"== {contender.DisplayName}");
        var results = new List<PhaseResult>();
        try
        {
            await using ServerProcess server = await ServerProcess.StartAsync(contender, TimeSpan.FromSeconds(30));
            using var connecting = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            ILoadConnection connection = await contender.ConnectAsync(server.Port, connecting.Token);
            try
            {
                await PhaseRunner.WarmUpAsync(connection, settings);
                foreach (Workload workload in Workload.All)
                {
                    PhaseResult result;
                    try
                    {
                        result = await PhaseRunner.RunAsync(contender.DisplayName, connection, server, workload, settings);
                    }
                    catch (Exception ex)
                    {
                        result = new PhaseResult(contender.DisplayName, workload, PhaseStatus.Failed, Describe(ex, server));
                    }
                    results.Add(result);
                    Console.WriteLine(ProgressLine(result));
                    if (result.Status == PhaseStatus.Failed)
                    {
                        // A connection that failed once is not measured again.
                        break;
                    }
                }
            }
            finally
            {
                Task closing = connection.DisposeAsync().AsTask();
                await Task.WhenAny(closing, Task.Delay(TimeSpan.FromSeconds(5)));
            }
        }
        catch (Exception ex)
        {
            Console.WriteLine($"   failed: {ex.Message}");
            results.Add(new PhaseResult(contender.DisplayName, Workload.All[0], PhaseStatus.Failed, ex.Message));
        }
        // Every workload gets a row, so a failure is visible in the table.
        foreach (Workload workload in Workload.All.Where(w => results.All(r => r.Workload != w)))
        {
            results.Add(new PhaseResult(contender.DisplayName, workload, PhaseStatus.Failed, "not run after an earlier failure"));
        }
        return results;
    }

    private static string Describe(Exception ex, ServerProcess server)
    {
        string message = ex is TimeoutException ? "timed out" : $"{ex.GetType().Name}: {ex.Message}";
        return server.HasExited ? $"{message} (the server exited: {server.Errors})" : message;
    }

    private static string ProgressLine(PhaseResult r) => r.Status switch
    {
        PhaseStatus.Measured when r.Workload.IsStream =>
            $"   {r.Workload.Title,-28} {r.PerSecond,12:N0} items/s   client {r.ClientCpuPercent,4:0}%  server {r.ServerCpuPercent,4:0}%  others {r.OtherCpuPercent,3:0}%  {r.ClientBytesPerOperation,7:N1} B/item client, {r.ServerBytesPerOperation,7:N1} server",
        PhaseStatus.Measured =>
            $"   {r.Workload.Title,-28} {r.PerSecond,12:N0} calls/s   p50 {r.P50Microseconds,8:N1} µs  p99 {r.P99Microseconds,8:N1} µs   client {r.ClientCpuPercent,4:0}%  server {r.ServerCpuPercent,4:0}%  others {r.OtherCpuPercent,3:0}%  {r.ClientBytesPerOperation,7:N1} B/call client, {r.ServerBytesPerOperation,7:N1} server; per call: {r.ClientWorkItemsPerOperation:0.00}/{r.ServerWorkItemsPerOperation:0.00} work items, {r.ClientContextSwitchesPerOperation:0.00}/{r.ServerContextSwitchesPerOperation:0.00} context switches",
        PhaseStatus.NotAvailable => $"   {r.Workload.Title,-28} n/a ({r.Note})",
        _ => $"   {r.Workload.Title,-28} FAILED: {r.Note}",
    };

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
