using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Rpc.Generators;

namespace Rpc.Generators.Tests.Infrastructure;

/// <summary>Compiles C# in memory against the .NET reference pack and the Rpc runtime, running the generator.</summary>
internal static class TestCompilation
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static CSharpCompilation Create(params string[] sources) =>
        Create(sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")));

    public static CSharpCompilation Create(IEnumerable<SyntaxTree> trees) =>
        CSharpCompilation.Create(
            "TestAssembly" + Guid.NewGuid().ToString("N"),
            trees,
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

    /// <summary>Runs the generator; returns the driver (for incrementality checks) and the compilation with generated code.</summary>
    public static (GeneratorDriver Driver, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics) RunGenerator(Compilation input, bool trackSteps = false)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new RpcGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return (driver, output, diagnostics);
    }

    /// <summary>
    /// What <see cref="Analyzers.RpcContractAnalyzer"/> reports on <paramref name="output"/> (the compilation with the
    /// generated code, as in a real build), sorted by place.
    /// </summary>
    public static ImmutableArray<Diagnostic> RunAnalyzer(Compilation output) =>
        output.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new Analyzers.RpcContractAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult()
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray();

    /// <summary>Errors and warnings of the compiled output (generated code included).</summary>
    public static IReadOnlyList<Diagnostic> CompilationProblems(Compilation output) =>
        output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();

    /// <summary>Emits and loads the assembly into the default context, where the Rpc runtime already lives.</summary>
    public static Assembly EmitAndLoad(Compilation output)
    {
        using var stream = new MemoryStream();
        var result = output.Emit(stream);
        if (!result.Success)
        {
            throw new InvalidOperationException("Emit failed:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }
        stream.Position = 0;
        return AssemblyLoadContext.Default.LoadFromStream(stream);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        // The shared framework's location tells the dotnet root; the reference pack sits beside it.
        string dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        string packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        string? refDirectory = Directory.Exists(packs)
            ? Directory.GetDirectories(packs)
                .OrderByDescending(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out Version? v) ? v : new Version())
                .Select(d => Path.Combine(d, "ref", "net" + Environment.Version.Major + ".0"))
                .FirstOrDefault(Directory.Exists)
            : null;
        IEnumerable<string> files = refDirectory is not null
            ? Directory.GetFiles(refDirectory, "*.dll")
            : Directory.GetFiles(runtimeDirectory, "*.dll").Where(f => !Path.GetFileName(f).StartsWith("Microsoft.VisualBasic", StringComparison.Ordinal));
        return files
            .Select(f => (MetadataReference)MetadataReference.CreateFromFile(f))
            .Append(MetadataReference.CreateFromFile(typeof(Rpc.Serialization.RpcSerializer).Assembly.Location))
            .ToImmutableArray();
    }
}
