using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Rpc.Generators.Tests.Infrastructure;

namespace Rpc.Generators.Tests.Contracts;

/// <summary>The contract step reruns when the wire contract changes, and only then.</summary>
public sealed class ContractIncrementalityTests
{
    [Fact]
    public void Reordering_members_of_a_message_changes_the_contract_output()
    {
        CSharpCompilation compilation = TestCompilation.Create(ContractSources.Shop);
        var (driver, _, _) = TestCompilation.RunGenerator(compilation, trackSteps: true);
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        string edited = ContractSources.Shop.Replace("public record Line(string Sku, int Quantity, Colour? Colour);", "public record Line(int Quantity, string Sku, Colour? Colour);");
        GeneratorRunResult result = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(edited)))).GetRunResult().Results.Single();
        Assert.Contains(result.TrackedSteps[TrackingNames.Contracts].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
    }

    [Fact]
    public void Editing_a_comment_in_the_contract_file_leaves_the_contract_step_unchanged()
    {
        CSharpCompilation compilation = TestCompilation.Create(ContractSources.Shop);
        var (driver, _, _) = TestCompilation.RunGenerator(compilation, trackSteps: true);
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        string edited = ContractSources.Shop.Replace("namespace Shop;", "namespace Shop; // a comment");
        GeneratorRunResult result = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(edited)))).GetRunResult().Results.Single();
        Assert.All(result.TrackedSteps[TrackingNames.Contracts].SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }
}
