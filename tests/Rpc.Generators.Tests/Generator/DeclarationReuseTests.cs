using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Rpc.Generators.Parsing;
using Rpc.Generators.Tests.Infrastructure;

namespace Rpc.Generators.Tests.Generator;

/// <summary>
/// The services' parse is reused across compilations whose declarations are the same (DeclarationParseCache): an edit
/// that changes what a contract binds to must still be seen, and only body edits may be skipped.
/// </summary>
public sealed class DeclarationReuseTests
{
    private const string Contract = """
        using System.Threading.Tasks;
        using Rpc;
        using Shop.Models;
        namespace Shop;
        [RpcService] public interface IShop { Task<Item> GetAsync(int id); }
        """;

    private const string Models = """
        namespace Shop.Models;
        public sealed record Item(string Name);
        """;

    private const string Unrelated = """
        namespace Shop.Other
        {
            public static class Clock { public static int Now() => 1; }
        }
        """;

    [Fact]
    public void A_type_declared_in_another_file_that_shadows_a_contract_type_regenerates_the_service()
    {
        CSharpCompilation compilation = TestCompilation.Create(Contract, Models, Unrelated);
        var (driver, output, _) = TestCompilation.RunGenerator(compilation);
        Assert.Contains("global::Shop.Models.Item", ServiceSource(output));

        // A type named Item in the contract's own namespace now wins over the using directive.
        SyntaxTree unrelated = compilation.SyntaxTrees.Single(t => t.ToString().Contains("class Clock"));
        CSharpCompilation next = compilation.ReplaceSyntaxTree(unrelated, unrelated.WithChangedText(
            Microsoft.CodeAnalysis.Text.SourceText.From(Unrelated + "namespace Shop { public sealed record Item(int Id); }\n")));
        driver.RunGeneratorsAndUpdateCompilation(next, out Compilation regenerated, out var diagnostics);
        Assert.Empty(diagnostics);

        string service = ServiceSource(regenerated);
        Assert.Contains("global::Shop.Item", service);
        Assert.DoesNotContain("global::Shop.Models.Item", service);
    }

    [Fact]
    public void A_changed_member_of_a_message_in_another_file_regenerates_its_formatter()
    {
        CSharpCompilation compilation = TestCompilation.Create(Contract, Models, Unrelated);
        var (driver, _, _) = TestCompilation.RunGenerator(compilation);

        SyntaxTree models = compilation.SyntaxTrees.Single(t => t.ToString().Contains("record Item"));
        CSharpCompilation next = compilation.ReplaceSyntaxTree(models, models.WithChangedText(
            Microsoft.CodeAnalysis.Text.SourceText.From(Models.Replace("(string Name)", "(string Name, long Stock)"))));
        driver.RunGeneratorsAndUpdateCompilation(next, out Compilation regenerated, out _);

        Assert.Contains(regenerated.SyntaxTrees, t => t.FilePath.EndsWith("Item.RpcFormatter.g.cs", StringComparison.Ordinal) && t.ToString().Contains("Stock"));
    }

    [Fact]
    public void Body_edits_keep_the_fingerprint_and_declaration_edits_change_it()
    {
        CSharpCompilation compilation = TestCompilation.Create(Contract, Models, Unrelated);
        DeclarationFingerprint original = DeclarationFingerprint.Of(compilation, default);

        Assert.True(original.Matches(DeclarationFingerprint.Of(Edit(compilation, "=> 1;", "=> 2 + 3;"), default)));
        Assert.True(original.Matches(DeclarationFingerprint.Of(Edit(compilation, "=> 1;", "=> /* a comment */ 1;"), default)));

        Assert.False(original.Matches(DeclarationFingerprint.Of(Edit(compilation, "int Now()", "long Now()"), default)));
        Assert.False(original.Matches(DeclarationFingerprint.Of(Edit(compilation, "=> 1; }", "=> 1; public static int Later() => 2; }"), default)));
        Assert.False(original.Matches(DeclarationFingerprint.Of(Edit(compilation, "public static class", "[System.Obsolete] public static class"), default)));
        // A directive inside a body applies to the declarations after it.
        Assert.False(original.Matches(DeclarationFingerprint.Of(Edit(compilation, "=> 1;", "{\n#nullable disable\nreturn 1; }"), default)));
        Assert.False(original.Matches(DeclarationFingerprint.Of(compilation.WithOptions(compilation.Options.WithNullableContextOptions(NullableContextOptions.Disable)), default)));
        Assert.False(original.Matches(DeclarationFingerprint.Of(compilation.RemoveAllReferences().AddReferences(compilation.References.Skip(1)), default)));
    }

    private static CSharpCompilation Edit(CSharpCompilation compilation, string from, string to)
    {
        SyntaxTree unrelated = compilation.SyntaxTrees.Single(t => t.ToString().Contains("class Clock"));
        string text = unrelated.ToString();
        Assert.Contains(from, text);
        return compilation.ReplaceSyntaxTree(unrelated, unrelated.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(text.Replace(from, to))));
    }

    private static string ServiceSource(Compilation output) =>
        output.SyntaxTrees.Single(t => t.FilePath.EndsWith("ShopRpc.g.cs", StringComparison.Ordinal)).ToString();
}
