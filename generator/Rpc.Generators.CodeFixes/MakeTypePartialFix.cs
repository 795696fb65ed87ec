using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Rpc.Generators.Diagnostics;

namespace Rpc.Generators.CodeFixes;

/// <summary>RPC012: adds <c>partial</c> to the type that holds the non-public member and to every type containing it.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeTypePartialFix)), Shared]
public sealed class MakeTypePartialFix : SyntaxCodeFix<TypeDeclarationSyntax>
{
    /// <summary>Creates the fix.</summary>
    public MakeTypePartialFix()
        : base(DiagnosticDescriptors.IncludeNeedsPartial)
    {
    }

    private protected override string Title(TypeDeclarationSyntax type, Diagnostic diagnostic) => $"Make '{type.Identifier.ValueText}' partial";

    private protected override async Task<Document> ApplyAsync(Document document, TypeDeclarationSyntax type, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        TypeDeclarationSyntax[] targets = type.AncestorsAndSelf().OfType<TypeDeclarationSyntax>()
            .Where(t => !t.Modifiers.Any(SyntaxKind.PartialKeyword))
            .ToArray();
        return document.WithSyntaxRoot(root.ReplaceNodes(targets, static (_, rewritten) => AddPartial(rewritten)));
    }

    /// <summary><c>partial</c> goes last among the modifiers, right before <c>class</c>, <c>struct</c> or <c>record</c>.</summary>
    private static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax type)
    {
        if (type.Modifiers.Count == 0)
        {
            // The keyword was the declaration's first token (after attributes): partial takes its leading trivia.
            SyntaxToken keyword = type.Keyword;
            return type
                .WithKeyword(keyword.WithLeadingTrivia(SyntaxFactory.Space))
                .WithModifiers(SyntaxFactory.TokenList(SyntaxFactory.Token(keyword.LeadingTrivia, SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList())));
        }
        return type.WithModifiers(type.Modifiers.Add(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space)));
    }
}
