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

    /// <summary>The value of <c>RpcContracts.Assembly</c> in a compilation the generator ran on.</summary>
    public static string AssemblyJson(Compilation output)
    {
        SyntaxTree tree = output.SyntaxTrees.Single(t => t.FilePath.EndsWith("RpcContracts.g.cs", StringComparison.Ordinal));
        VariableDeclaratorSyntax constant = tree.GetRoot().DescendantNodes().OfType<VariableDeclaratorSyntax>().Single(v => v.Identifier.Text == "Assembly");
        return ((LiteralExpressionSyntax)constant.Initializer!.Value).Token.ValueText;
    }
}
