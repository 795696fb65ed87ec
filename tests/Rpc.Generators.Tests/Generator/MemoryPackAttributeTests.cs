using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Rpc.Generators.Tests.Infrastructure;

namespace Rpc.Generators.Tests.Generator;

/// <summary>
/// MemoryPack's own attributes read as their Rpc twins, and MemoryPack types Rpc cannot serialize skipped quietly
/// (adding Rpc must not break a project's MemoryPack types) unless a service uses them.
/// </summary>
public sealed class MemoryPackAttributeTests
{
    private static (Compilation Output, IReadOnlyList<Diagnostic> Diagnostics) Run(string source)
    {
        SyntaxTree[] trees =
        [
            CSharpSyntaxTree.ParseText(source, TestCompilation.ParseOptions, path: "Source.cs"),
            CSharpSyntaxTree.ParseText(MemoryPackStubs.Source, TestCompilation.ParseOptions, path: "MemoryPackStubs.cs"),
        ];
        var (_, output, generatorDiagnostics) = TestCompilation.RunGenerator(TestCompilation.Create(trees));
        Assert.Empty(generatorDiagnostics);
        Assert.Empty(TestCompilation.CompilationProblems(output));
        return (output, TestCompilation.RunAnalyzer(output));
    }

    private static object? Call(System.Reflection.Assembly assembly, string name)
    {
        try
        {
            return assembly.GetType("Demo.Api")!.GetMethod(name)!.Invoke(null, null);
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    [Fact]
    public void Order_ignore_include_constructor_and_encoding_attributes_of_MemoryPack_mean_what_Rpc_ones_mean()
    {
        (Compilation output, IReadOnlyList<Diagnostic> diagnostics) = Run("""
            #nullable enable
            using MemoryPack;
            using RpcSerializer = Rpc.Serialization.RpcSerializer;
            namespace Demo
            {
                [MemoryPackable(SerializeLayout.Explicit)]
                public partial class Explicit
                {
                    [MemoryPackConstructor] public Explicit(int b, string? a) { B = b; A = a; }
                    [MemoryPackOrder(1)] public string? A { get; }
                    [MemoryPackOrder(0)] public int B { get; }
                    [MemoryPackIgnore] public int Skipped { get; set; } = 9;
                    [MemoryPackOrder(2), MemoryPackInclude] private int _hidden = 7;
                    [MemoryPackOrder(3), Utf16StringFormatter] public string? Wide { get; set; }
                    public override string ToString() => $"{B},{A},{Skipped},{_hidden},{Wide}";
                }
                public static class Api
                {
                    public static string Bytes() => System.Convert.ToHexString(RpcSerializer.Serialize(new Explicit(1, "a") { Wide = "w" }));
                    public static string RoundTrip() => RpcSerializer.Deserialize<Explicit>(RpcSerializer.Serialize(new Explicit(1, "a") { Wide = "w" }))!.ToString();
                }
            }
            """);
        Assert.Empty(diagnostics);
        System.Reflection.Assembly assembly = TestCompilation.EmitAndLoad(output);
        // Header 4; B = 1; A = UTF-8 "a"; _hidden = 7; Wide = UTF-16 "w" (count 1, then the char).
        Assert.Equal("04" + "01000000" + "FEFFFFFF0100000061" + "07000000" + "010000007700", Call(assembly, "Bytes"));
        Assert.Equal("1,a,9,7,w", Call(assembly, "RoundTrip"));
    }

    [Fact]
    public void A_MemoryPack_type_with_a_formatter_Rpc_lacks_is_skipped_without_a_diagnostic()
    {
        (Compilation output, IReadOnlyList<Diagnostic> diagnostics) = Run("""
            using MemoryPack;
            namespace Demo
            {
                [MemoryPackable] public partial class Packed { [BrotliFormatter] public byte[]? Data { get; set; } }
                [MemoryPackable(GenerateType.Collection)] public partial class Bag : System.Collections.Generic.List<int> { }
            }
            """);
        Assert.Empty(diagnostics);
        Assert.DoesNotContain(output.SyntaxTrees, t => t.FilePath.Contains("Packed") || t.FilePath.Contains("Bag"));
    }

    [Fact]
    public void A_service_that_uses_a_MemoryPack_type_Rpc_cannot_serialize_reports_why()
    {
        (_, IReadOnlyList<Diagnostic> diagnostics) = Run("""
            using System.Threading.Tasks;
            using MemoryPack;
            using Rpc;
            namespace Demo
            {
                [MemoryPackable] public partial class Packed { [BrotliFormatter] public byte[]? Data { get; set; } }
                [RpcService] public interface IStore { Task SaveAsync(Packed packed); }
            }
            """);
        Diagnostic error = Assert.Single(diagnostics, d => d.Id == "RPC007");
        Assert.Contains("BrotliFormatter", error.GetMessage());
    }

    [Fact]
    public void GenerateType_Collection_on_an_Rpc_message_is_reported_instead_of_written_as_an_object()
    {
        (_, IReadOnlyList<Diagnostic> diagnostics) = Run("""
            using Rpc.Serialization;
            namespace Demo
            {
                [RpcMessage(GenerateType.Collection)] public partial class Bag { public int A { get; set; } }
            }
            """);
        Diagnostic error = Assert.Single(diagnostics, d => d.Id == "RPC007");
        Assert.Contains("GenerateType.Collection", error.GetMessage());
    }
}
