using System.Diagnostics;
using BenchmarkDotNet.Running;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Rpc.GeneratorBenchmarks;

// `--quick` prints best-of-5 stopwatch figures in seconds; anything else goes to BenchmarkDotNet (use --inProcess).
if (args.Length > 0 && args[0] == "--quick")
{
    // `--quick TEXT` runs only the rows whose name contains TEXT.
    string only = args.Length > 1 ? args[1] : string.Empty;
    var bench = new GeneratorBenchmarks();
    bench.Setup();
    Report("Rpc: full run (warm)", () => bench.RpcFullRun(), only);
    if ("first run".Contains(only, StringComparison.Ordinal) || only.Contains("first run", StringComparison.Ordinal))
    {
        // A project seen for the first time: files just parsed, nothing bound, nothing any cache has seen.
        var firstRpc = new Queue<CSharpCompilation>(Enumerable.Range(0, 5).Select(_ => GeneratedProject.Create()));
        Report("Rpc: first run over newly parsed files", () => Drivers.Rpc().RunGenerators(firstRpc.Dequeue()), only);
        var firstNothing = new Queue<CSharpCompilation>(Enumerable.Range(0, 5).Select(_ => GeneratedProject.Create()));
        Report("do-nothing: first run over newly parsed files", () => Drivers.DoNothing().RunGenerators(firstNothing.Dequeue()), only);
    }
    Report("Rpc: re-run after an unrelated edit", () => bench.RpcUnrelatedEdit(), only);
    Report("Rpc: re-run after an unrelated declaration edit", () => bench.RpcDeclarationEdit(), only);
    Report("do-nothing: full run (warm)", () => bench.NothingFullRun(), only);
    Report("do-nothing: re-run after an unrelated edit", () => bench.NothingUnrelatedEdit(), only);
    Report("do-nothing: re-run after an unrelated declaration edit", () => bench.NothingDeclarationEdit(), only);
    Report("signature floor: full run (warm)", () => bench.FloorFullRun(), only);
    Report("signature floor: re-run after an unrelated edit", () => bench.FloorUnrelatedEdit(), only);
    Report("bind the user's code", () => bench.BindUserCode(), only);
    Report("bind user + generated code", () => bench.BindGeneratedCode(), only);
    if (only.Length > 0)
    {
        return;
    }
    Drivers.Rpc().RunGeneratorsAndUpdateCompilation(GeneratedProject.Create(), out Compilation output, out var diagnostics);
    SyntaxTree[] generated = output.SyntaxTrees.Skip(GeneratedProject.Services + 2).ToArray();
    Console.WriteLine($"generated: {generated.Length} files, {generated.Sum(t => (long)t.Length) / 1024} KB of source, {diagnostics.Length} generator diagnostics");
    foreach (var kind in generated.GroupBy(t => t.FilePath.EndsWith("Rpc.g.cs", StringComparison.Ordinal) ? "services (proxy + dispatcher)" : Path.GetFileName(t.FilePath).Contains("RpcFormatter.g") ? "formatters" : Path.GetFileName(t.FilePath)))
    {
        Console.WriteLine($"  {kind.Key,-40} {kind.Count(),5} files, {kind.Sum(t => (long)t.Length) / 1024,7} KB");
    }
    return;
}
if (args.Length > 1 && args[0] == "--emit")
{
    // Writes the generated files to a directory, to read them.
    Drivers.Rpc().RunGeneratorsAndUpdateCompilation(GeneratedProject.Create(), out Compilation output, out _);
    Directory.CreateDirectory(args[1]);
    foreach (SyntaxTree tree in output.SyntaxTrees.Skip(GeneratedProject.Services + 2))
    {
        File.WriteAllText(Path.Combine(args[1], Path.GetFileName(tree.FilePath)), tree.ToString());
    }
    return;
}
if (args.Length > 1 && args[0] == "--bind-files")
{
    // Binds the user's code plus the files of a directory (best of 5): to try a change to the generated code by hand.
    CSharpCompilation user = GeneratedProject.Create();
    SyntaxTree[] extra = Directory.GetFiles(args[1], "*.cs").Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), GeneratedProject.ParseOptions, f)).ToArray();
    Compilation all = user.AddSyntaxTrees(extra);
    Console.WriteLine(string.Join("\n", all.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Take(5)));
    Report($"bind {args[1]} ({extra.Sum(t => (long)t.Length) / 1024} KB)", () => all.RemoveAllSyntaxTrees().AddSyntaxTrees(all.SyntaxTrees).GetDiagnostics().Length);
    return;
}
if (args.Length > 0 && args[0] == "--steps")
{
    // Where a re-run after an unrelated edit spends its time, step by step (Roslyn's own step timings).
    // `--steps declaration`: the same after an edit that adds a declaration to the unrelated file.
    bool declaration = args.Length > 1 && args[1] == "declaration";
    var compilation = GeneratedProject.Create();
    GeneratorDriver driver = Drivers.Rpc(trackSteps: true).RunGenerators(compilation);
    for (int i = 1; i <= 3; i++)
    {
        driver = driver.RunGenerators(declaration ? GeneratedProject.EditUnrelatedDeclaration(compilation, i) : GeneratedProject.EditUnrelated(compilation, i));
    }
    if (args.Length > 1 && args[1] == "full")
    {
        // `--steps full`: a warm process's full run over a compilation no cache has seen.
        driver = Drivers.Rpc(trackSteps: true).RunGenerators(GeneratedProject.Fresh(compilation, 100));
    }
    GeneratorRunResult result = driver.GetRunResult().Results.Single();

    foreach (var step in result.TrackedSteps.Concat(result.TrackedOutputSteps))
    {
        Console.WriteLine($"{step.Key,-55} {step.Value.Sum(s => s.ElapsedTime.TotalMilliseconds),10:F1} ms over {step.Value.Length} runs");
    }
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(GeneratorBenchmarks).Assembly).Run(args);

static void Report(string name, Func<object> action, string only = "")
{
    if (!name.Contains(only, StringComparison.Ordinal))
    {
        return;
    }
    // Wall time and the process's CPU time, best of 5 each: on a shared machine CPU time is the steadier figure.
    double best = double.MaxValue;
    double bestCpu = double.MaxValue;
    using Process process = Process.GetCurrentProcess();
    for (int i = 0; i < 5; i++)
    {
        process.Refresh();
        TimeSpan cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        action();
        best = Math.Min(best, watch.Elapsed.TotalSeconds);
        process.Refresh();
        bestCpu = Math.Min(bestCpu, (process.TotalProcessorTime - cpu).TotalSeconds);
    }
    Console.WriteLine($"{name,-55} {best * 1000,10:F1} ms {bestCpu * 1000,10:F1} ms CPU");
}
