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

/// <summary>
/// RPC019: appends <c>CancellationToken cancellationToken = default</c> to a streaming method. The token is not
/// part of the method id, so existing peers keep calling the same method.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddCancellationTokenFix)), Shared]
public sealed class AddCancellationTokenFix : SyntaxCodeFix<MethodDeclarationSyntax>
{
    private const string ParameterName = "cancellationToken";

    /// <summary>Creates the fix.</summary>
    public AddCancellationTokenFix()
        : base(DiagnosticDescriptors.StreamWithoutCancellationToken)
    {
    }

    // Nothing may follow a params array.
    private protected override string? Title(MethodDeclarationSyntax method, Diagnostic diagnostic) =>
        method.ParameterList.Parameters.LastOrDefault()?.Modifiers.Any(SyntaxKind.ParamsKeyword) == true ? null : "Add a CancellationToken parameter";

    private protected override async Task<Document> ApplyAsync(Document document, MethodDeclarationSyntax method, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        ParameterSyntax token = SyntaxFactory.Parameter(SyntaxFactory.Identifier(UniqueName(method)))
            .WithType(SyntaxFactory.ParseTypeName("global::System.Threading.CancellationToken").WithTrailingTrivia(SyntaxFactory.Space))
            .WithDefault(SyntaxFactory.EqualsValueClause(SyntaxFactory.LiteralExpression(SyntaxKind.DefaultLiteralExpression))
                .WithEqualsToken(SyntaxFactory.Token(SyntaxKind.EqualsToken).WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space)))
            .WithAdditionalAnnotations(ImportCleanup.Annotations);
        SeparatedSyntaxList<ParameterSyntax> parameters = method.ParameterList.Parameters;
        ParameterListSyntax list = parameters.Count == 0
            ? method.ParameterList.WithParameters(parameters.Add(token))
            : method.ParameterList.WithParameters(SyntaxFactory.SeparatedList(
                parameters.Append(token),
                parameters.GetSeparators().Append(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space))));
        Document changed = await ReplaceAsync(document, method.ParameterList, list, cancellationToken).ConfigureAwait(false);
        return await ImportCleanup.RunAsync(changed, cancellationToken).ConfigureAwait(false);
    }

    private static string UniqueName(MethodDeclarationSyntax method)
    {
        string name = ParameterName;
        for (int n = 2; method.ParameterList.Parameters.Any(p => p.Identifier.ValueText == name); n++)
        {
            name = ParameterName + n;
        }
        return name;
    }
}
