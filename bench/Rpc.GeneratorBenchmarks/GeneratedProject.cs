using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Rpc.GeneratorBenchmarks;

/// <summary>
/// The project of issue 21: <see cref="Services"/> <c>[RpcService]</c> interfaces of <see cref="MethodsPerService"/>
/// methods each over <see cref="Messages"/> message records, one file per service, plus one unrelated file that the
/// "edit" benchmarks change.
/// </summary>
public static class GeneratedProject
{
    public const int Services = 500;
    public const int MethodsPerService = 10;
    public const int Messages = 20;

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public const string UnrelatedSource = "namespace Bench.Other;\npublic static class Clock { public static int Now() => 1; }\n";

    public static CSharpCompilation Create()
    {
        var trees = new List<SyntaxTree> { Parse(MessagesSource(), "Messages.cs"), Parse(UnrelatedSource, "Clock.cs") };
        for (int s = 0; s < Services; s++)
        {
            trees.Add(Parse(ServiceSource(s), $"Service{s}.cs"));
        }
        return CSharpCompilation.Create("Bench", trees, References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>The same compilation with the unrelated file edited (a changed method body).</summary>
    public static CSharpCompilation EditUnrelated(CSharpCompilation compilation, int version)
    {
        SyntaxTree tree = compilation.SyntaxTrees.Single(t => t.FilePath == "Clock.cs");
        return compilation.ReplaceSyntaxTree(tree, Parse(UnrelatedSource.Replace("=> 1;", $"=> {version};"), "Clock.cs"));
    }

    /// <summary>
    /// The same compilation with a declaration added to the unrelated file (a new method): no contract changes, but
    /// the symbols' declarations do, so a generator cannot know without reading them again.
    /// </summary>
    public static CSharpCompilation EditUnrelatedDeclaration(CSharpCompilation compilation, int version)
    {
        SyntaxTree tree = compilation.SyntaxTrees.Single(t => t.FilePath == "Clock.cs");
        string source = UnrelatedSource.Replace("=> 1; }", $"=> 1; public static int Now{version}() => {version}; }}");
        return compilation.ReplaceSyntaxTree(tree, Parse(source, "Clock.cs"));
    }

    /// <summary>
    /// The same sources as a compilation of another assembly: nothing bound yet and nothing any cache could have
    /// seen, so a generator does all of its work.
    /// </summary>
    public static CSharpCompilation Fresh(CSharpCompilation compilation, int version) => compilation.WithAssemblyName($"Bench{version}");

    private static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, ParseOptions, path: path, encoding: Encoding.UTF8);

    private static string MessagesSource()
    {
        var builder = new StringBuilder("namespace Bench.Messages;\n");
        for (int m = 0; m < Messages; m++)
        {
            builder.Append($"public sealed record Message{m}(int Id, string Name, long Stamp, double Score, System.Collections.Generic.List<string> Tags);\n");
        }
        return builder.ToString();
    }

    private static string ServiceSource(int s)
    {
        var builder = new StringBuilder("using System.Threading;\nusing System.Threading.Tasks;\nusing Rpc;\nusing Bench.Messages;\nnamespace Bench.Services;\n");
        builder.Append($"[RpcService] public interface IService{s}\n{{\n");
        for (int m = 0; m < MethodsPerService; m++)
        {
            int input = (s + m) % Messages;
            int output = (s + m + 1) % Messages;
            builder.Append($"    Task<Message{output}> Call{m}Async(Message{input} request, CancellationToken cancellationToken = default);\n");
        }
        builder.Append("}\n");
        return builder.ToString();
    }

    private static ImmutableArray<MetadataReference> References()
    {
        string runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return Directory.GetFiles(runtimeDirectory, "*.dll")
            .Where(f => !Path.GetFileName(f).StartsWith("Microsoft.VisualBasic", StringComparison.Ordinal))
            .Where(f => IsManaged(f))
            .Select(f => (MetadataReference)MetadataReference.CreateFromFile(f))
            .Append(MetadataReference.CreateFromFile(typeof(Rpc.Serialization.RpcSerializer).Assembly.Location))
            .ToImmutableArray();
    }

    private static bool IsManaged(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
