using System.Diagnostics;
using BenchmarkDotNet.Running;
using Microsoft.CodeAnalysis;
using Rpc.GeneratorBenchmarks;

// `--quick` prints best-of-5 stopwatch figures in seconds; anything else goes to BenchmarkDotNet (use --inProcess).
if (args.Length > 0 && args[0] == "--quick")
{
    var bench = new GeneratorBenchmarks();
    bench.Setup();
    Report("Rpc: full run (warm)", () => bench.RpcFullRun());
    Report("Rpc: re-run after an unrelated edit", () => bench.RpcUnrelatedEdit());
    Report("Rpc: re-run after an unrelated declaration edit", () => bench.RpcDeclarationEdit());
    Report("do-nothing: full run (warm)", () => bench.NothingFullRun());
    Report("do-nothing: re-run after an unrelated edit", () => bench.NothingUnrelatedEdit());
    Report("do-nothing: re-run after an unrelated declaration edit", () => bench.NothingDeclarationEdit());
    Report("signature floor: re-run after an unrelated edit", () => bench.FloorUnrelatedEdit());
    Report("bind the user's code", () => bench.BindUserCode());
    Report("bind user + generated code", () => bench.BindGeneratedCode());
    Drivers.Rpc().RunGeneratorsAndUpdateCompilation(GeneratedProject.Create(), out Compilation output, out var diagnostics);
    long bytes = output.SyntaxTrees.Skip(GeneratedProject.Services + 2).Sum(t => (long)t.Length);
    Console.WriteLine($"generated: {output.SyntaxTrees.Count() - GeneratedProject.Services - 2} files, {bytes / 1024} KB of source, {diagnostics.Length} generator diagnostics");
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
    GeneratorRunResult result = driver.GetRunResult().Results.Single();

    foreach (var step in result.TrackedSteps.Concat(result.TrackedOutputSteps))
    {
        Console.WriteLine($"{step.Key,-55} {step.Value.Sum(s => s.ElapsedTime.TotalMilliseconds),10:F1} ms over {step.Value.Length} runs");
    }
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(GeneratorBenchmarks).Assembly).Run(args);

static void Report(string name, Func<object> action)
{
    double best = double.MaxValue;
    for (int i = 0; i < 5; i++)
    {
        var watch = Stopwatch.StartNew();
        action();
        best = Math.Min(best, watch.Elapsed.TotalSeconds);
    }
    Console.WriteLine($"{name,-55} {best * 1000,10:F1} ms");
}
