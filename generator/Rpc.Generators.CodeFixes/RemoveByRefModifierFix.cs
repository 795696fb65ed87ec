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

/// <summary>RPC004: removes <c>ref</c>, <c>out</c> or <c>in</c> (with <c>ref readonly</c>'s <c>readonly</c> and <c>scoped</c>) so the parameter is passed by value.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveByRefModifierFix)), Shared]
public sealed class RemoveByRefModifierFix : SyntaxCodeFix<ParameterSyntax>
{
    /// <summary>Creates the fix.</summary>
    public RemoveByRefModifierFix()
        : base(DiagnosticDescriptors.ByRefParameterNotSupported)
    {
    }

    private protected override string? Title(ParameterSyntax parameter, Diagnostic diagnostic) =>
        parameter.Modifiers.Any(IsByRef) ? $"Pass '{parameter.Identifier.ValueText}' by value" : null;

    private protected override Task<Document> ApplyAsync(Document document, ParameterSyntax parameter, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        SyntaxTokenList kept = SyntaxFactory.TokenList(parameter.Modifiers.Where(m => !IsByRef(m)));
        ParameterSyntax byValue = parameter.WithModifiers(kept);
        if (parameter.AttributeLists.Count == 0 && kept.Count == 0 && byValue.Type is not null)
        {
            // The removed keyword led the parameter: its leading trivia (a line break, a comment) stays in place.
            byValue = byValue.WithType(byValue.Type.WithLeadingTrivia(parameter.GetLeadingTrivia()));
        }
        return ReplaceAsync(document, parameter, byValue, cancellationToken);
    }

    private static bool IsByRef(SyntaxToken modifier) =>
        modifier.Kind() is SyntaxKind.RefKeyword or SyntaxKind.OutKeyword or SyntaxKind.InKeyword or SyntaxKind.ReadOnlyKeyword or SyntaxKind.ScopedKeyword;
}
