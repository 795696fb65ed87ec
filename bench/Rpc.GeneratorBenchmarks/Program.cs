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
    Report("do-nothing: full run (warm)", () => bench.NothingFullRun());
    Report("do-nothing: re-run after an unrelated edit", () => bench.NothingUnrelatedEdit());
    Report("bind the user's code", () => bench.BindUserCode());
    Report("bind user + generated code", () => bench.BindGeneratedCode());
    Drivers.Rpc().RunGeneratorsAndUpdateCompilation(GeneratedProject.Create(), out Compilation output, out var diagnostics);
    long bytes = output.SyntaxTrees.Skip(GeneratedProject.Services + 2).Sum(t => (long)t.Length);
    Console.WriteLine($"generated: {output.SyntaxTrees.Count() - GeneratedProject.Services - 2} files, {bytes / 1024} KB of source, {diagnostics.Length} generator diagnostics");
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
    Console.WriteLine($"{name,-45} {best * 1000,10:F1} ms");
}
