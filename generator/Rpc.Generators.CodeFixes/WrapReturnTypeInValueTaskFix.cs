using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Rpc.Generators.Diagnostics;

namespace Rpc.Generators.CodeFixes;

/// <summary>RPC006: a synchronous return type <c>T</c> becomes <c>ValueTask&lt;T&gt;</c>, and <c>void</c> becomes <c>ValueTask</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WrapReturnTypeInValueTaskFix)), Shared]
public sealed class WrapReturnTypeInValueTaskFix : SyntaxCodeFix<MethodDeclarationSyntax>
{
    /// <summary>Creates the fix.</summary>
    public WrapReturnTypeInValueTaskFix()
        : base(DiagnosticDescriptors.UnsupportedReturnType)
    {
    }

    private protected override string Title(MethodDeclarationSyntax method, Diagnostic diagnostic) => "Return " + Wrap(method.ReturnType);

    private protected override async Task<Document> ApplyAsync(Document document, MethodDeclarationSyntax method, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        TypeSyntax wrapped = SyntaxFactory.ParseTypeName("global::System.Threading.Tasks." + Wrap(method.ReturnType))
            .WithTriviaFrom(method.ReturnType)
            .WithAdditionalAnnotations(ImportCleanup.Annotations);
        Document changed = await ReplaceAsync(document, method.ReturnType, wrapped, cancellationToken).ConfigureAwait(false);
        return await ImportCleanup.RunAsync(changed, cancellationToken).ConfigureAwait(false);
    }

    private static string Wrap(TypeSyntax returnType) =>
        returnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword }
            ? "ValueTask"
            : $"ValueTask<{returnType.WithoutTrivia()}>";
}
