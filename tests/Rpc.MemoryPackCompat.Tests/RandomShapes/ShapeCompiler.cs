using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Emit;

namespace Compat.RandomShapes;

/// <summary>
/// Compiles rendered shapes in memory with one source generator (MemoryPack's or ours, found by the paths the
/// project file records as assembly metadata) against the .NET 10 reference assemblies, MemoryPack.Core, Rpc and
/// this test assembly, and loads the result.
/// </summary>
public static class ShapeCompiler
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(() =>
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(MemoryPack.MemoryPackSerializer).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Rpc.Serialization.RpcSerializer).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Values).Assembly.Location),
    ]);

    // The symbols the SDK defines for net10.0: MemoryPack's generated code and MemoryPack.Core's interfaces differ
    // before .NET 7 (static abstract members, constraints).
    // Preview: Rpc's generated code uses C# 13's ref struct interfaces, still a preview feature in Roslyn 4.11.
    private static readonly CSharpParseOptions s_parseOptions = new(
        LanguageVersion.Preview,
        preprocessorSymbols: ["NET", "NET10_0", "NETCOREAPP", .. Enumerable.Range(5, 6).Select(v => $"NET{v}_0_OR_GREATER"), "NETCOREAPP3_1_OR_GREATER"]);

    // MEMPACK043: DateTimeOffset's raw layout differs between runtimes (both libraries run on this one).
    private static readonly string[] s_allowedWarnings = ["MEMPACK043"];

    /// <param name="generator">The metadata key of the generator's path: <c>MemoryPackGenerator</c> or <c>RpcGenerator</c>.</param>
    public static Assembly CompileAndLoad(string source, string generator, string assemblyName)
    {
        CSharpCompilation compilation = CSharpCompilation.Create(
            assemblyName,
            [CSharpSyntaxTree.ParseText(source, s_parseOptions, path: assemblyName + ".cs")],
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(LoadGenerators(generator), parseOptions: s_parseOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        List<Diagnostic> problems = generatorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error || (d.Severity == DiagnosticSeverity.Warning && !s_allowedWarnings.Contains(d.Id)))
            .Concat(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error))
            .ToList();
        using var stream = new MemoryStream();
        EmitResult result = problems.Count == 0 ? output.Emit(stream) : null!;
        if (problems.Count > 0 || !result.Success)
        {
            problems.AddRange(result?.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error) ?? []);
            throw new InvalidOperationException($"{assemblyName} does not compile with {generator}:\n" + string.Join("\n", problems.Take(40).Select(Describe)));
        }
        stream.Position = 0;
        return AssemblyLoadContext.Default.LoadFromStream(stream);
    }

    // The diagnostic with the line it points at (generated files included).
    private static string Describe(Diagnostic diagnostic)
    {
        if (diagnostic.Location.SourceTree is not { } tree)
        {
            return diagnostic.ToString();
        }
        int line = diagnostic.Location.GetLineSpan().StartLinePosition.Line;
        return $"{diagnostic}\n    {tree.GetText().Lines[line].ToString().Trim()}";
    }

    private static ImmutableArray<ISourceGenerator> LoadGenerators(string key)
    {
        string path = typeof(ShapeCompiler).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The generator {key} is not at {path} (build the solution in this configuration first).", path);
        }
        var reference = new AnalyzerFileReference(path, GeneratorLoader.Instance);
        ImmutableArray<ISourceGenerator> generators = reference.GetGenerators(LanguageNames.CSharp);
        return generators.IsEmpty ? throw new InvalidOperationException($"No source generator in {path}.") : generators;
    }

    private sealed class GeneratorLoader : IAnalyzerAssemblyLoader
    {
        public static readonly GeneratorLoader Instance = new();

        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }
}
