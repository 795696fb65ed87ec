using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Rpc.Generators.Tests.Infrastructure;

namespace Rpc.Generators.Tests.Contracts;

/// <summary>Runs the generator over a source and reads back the contract it emitted.</summary>
internal static class GeneratedContract
{
    public static string AssemblyJson(string source)
    {
        var (_, output, diagnostics) = TestCompilation.RunGenerator(TestCompilation.Create(source));
        Assert.Empty(diagnostics);
        return AssemblyJson(output);
    }

    /// <summary>
    /// The assembly's contract as the lock file gets it (the indented copy between the markers, which
    /// nuget/Rpc.Contracts.targets lifts), checked against <c>RpcContracts.Assembly</c>, the compact form of the same
    /// document that the lock analyzer reads.
    /// </summary>
    public static string AssemblyJson(Compilation output)
    {
        SyntaxTree tree = output.SyntaxTrees.Single(t => t.FilePath.EndsWith("RpcContracts.g.cs", StringComparison.Ordinal));
        string text = tree.ToString();
        int start = text.IndexOf(Rpc.Generators.Emit.ContractEmitter.BeginMarker, StringComparison.Ordinal) + Rpc.Generators.Emit.ContractEmitter.BeginMarker.Length;
        int end = text.IndexOf(Rpc.Generators.Emit.ContractEmitter.EndMarker, StringComparison.Ordinal);
        string lockText = text.Substring(start, end - start).Replace("*\\/", "*/").Trim() + "\n";

        VariableDeclaratorSyntax constant = tree.GetRoot().DescendantNodes().OfType<VariableDeclaratorSyntax>().Single(v => v.Identifier.Text == "Assembly");
        string compact = ((LiteralExpressionSyntax)constant.Initializer!.Value).Token.ValueText;
        Assert.Equal(Rpc.Generators.Contracts.ContractJsonWriter.Compact(lockText), compact);
        Assert.DoesNotContain("\n", compact, StringComparison.Ordinal);
        return lockText;
    }
}
