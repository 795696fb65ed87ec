using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Rpc.GeneratorBenchmarks;

/// <summary>The three figures of issue 21, for the Rpc generator and a do-nothing generator on the same project.</summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private CSharpCompilation _compilation = null!;
    private GeneratorDriver _warmRpc = null!;
    private GeneratorDriver _warmNothing = null!;
    private GeneratorDriver _warmFloor = null!;
    private Compilation _generated = null!;
    private int _version;

    [GlobalSetup]
    public void Setup()
    {
        _compilation = GeneratedProject.Create();
        _warmRpc = Drivers.Rpc().RunGenerators(_compilation);
        _warmNothing = Drivers.DoNothing().RunGenerators(_compilation);
        _warmFloor = Drivers.SignatureFloor().RunGenerators(_compilation);
        Drivers.Rpc().RunGeneratorsAndUpdateCompilation(_compilation, out _generated, out _);
    }

    [Benchmark(Description = "Rpc: full run (warm)")]
    public GeneratorDriver RpcFullRun() => Drivers.Rpc().RunGenerators(GeneratedProject.Fresh(_compilation, ++_version));

    [Benchmark(Description = "Rpc: re-run after an unrelated edit")]
    public GeneratorDriver RpcUnrelatedEdit() => _warmRpc.RunGenerators(GeneratedProject.EditUnrelated(_compilation, ++_version));

    [Benchmark(Description = "Rpc: re-run after an unrelated declaration edit")]
    public GeneratorDriver RpcDeclarationEdit() => _warmRpc.RunGenerators(GeneratedProject.EditUnrelatedDeclaration(_compilation, ++_version));

    [Benchmark(Description = "do-nothing: full run (warm)")]
    public GeneratorDriver NothingFullRun() => Drivers.DoNothing().RunGenerators(GeneratedProject.Fresh(_compilation, ++_version));

    [Benchmark(Description = "do-nothing: re-run after an unrelated edit")]
    public GeneratorDriver NothingUnrelatedEdit() => _warmNothing.RunGenerators(GeneratedProject.EditUnrelated(_compilation, ++_version));

    [Benchmark(Description = "do-nothing: re-run after an unrelated declaration edit")]
    public GeneratorDriver NothingDeclarationEdit() => _warmNothing.RunGenerators(GeneratedProject.EditUnrelatedDeclaration(_compilation, ++_version));

    [Benchmark(Description = "signature floor: full run (warm)")]
    public GeneratorDriver FloorFullRun() => Drivers.SignatureFloor().RunGenerators(GeneratedProject.Fresh(_compilation, ++_version));

    [Benchmark(Description = "signature floor: re-run after an unrelated edit")]
    public GeneratorDriver FloorUnrelatedEdit() => _warmFloor.RunGenerators(GeneratedProject.EditUnrelated(_compilation, ++_version));

    [Benchmark(Description = "bind the user's code")]
    public int BindUserCode() => Bind(_compilation);

    [Benchmark(Description = "bind user + generated code")]
    public int BindGeneratedCode() => Bind(_generated);

    // A fresh compilation each time, so nothing is cached from the previous bind.
    private static int Bind(Compilation compilation) =>
        compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(compilation.SyntaxTrees).GetDiagnostics().Length;
}
