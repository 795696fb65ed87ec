using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Rpc.Generators.CodeFixes;

/// <summary>
/// A fix for one diagnostic id that edits the innermost <typeparamref name="TNode"/> around the diagnostic's
/// location: the lookup, the registration and fix-all (batch, unless a fix says otherwise) in one place.
/// </summary>
public abstract class SyntaxCodeFix<TNode> : CodeFixProvider
    where TNode : SyntaxNode
{
    private protected SyntaxCodeFix(DiagnosticDescriptor descriptor) => FixableDiagnosticIds = ImmutableArray.Create(descriptor.Id);

    /// <inheritdoc />
    public sealed override ImmutableArray<string> FixableDiagnosticIds { get; }

    /// <inheritdoc />
    public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        Diagnostic diagnostic = context.Diagnostics[0];
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        TNode? node = root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<TNode>();
        if (node is null || Title(node, diagnostic) is not { } title)
        {
            return;
        }
        Document document = context.Document;
        context.RegisterCodeFix(
            CodeAction.Create(title, cancellationToken => ApplyAsync(document, node, diagnostic, cancellationToken), equivalenceKey: GetType().Name),
            diagnostic);
    }

    /// <summary>What the light bulb shows for <paramref name="node"/>, or null when this fix cannot apply there.</summary>
    private protected abstract string? Title(TNode node, Diagnostic diagnostic);

    /// <summary>The document with <paramref name="node"/> fixed.</summary>
    private protected abstract Task<Document> ApplyAsync(Document document, TNode node, Diagnostic diagnostic, CancellationToken cancellationToken);

    /// <summary><paramref name="document"/> with <paramref name="oldNode"/> replaced.</summary>
    private protected static async Task<Document> ReplaceAsync(Document document, SyntaxNode oldNode, SyntaxNode newNode, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        return document.WithSyntaxRoot(root.ReplaceNode(oldNode, newNode));
    }
}
