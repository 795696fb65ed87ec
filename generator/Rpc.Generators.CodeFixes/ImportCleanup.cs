using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace Rpc.Generators.CodeFixes;

/// <summary>
/// Fixes write fully qualified names (<c>global::System.Threading.Tasks.ValueTask</c>) annotated for simplification;
/// this adds the <c>using</c> they need and shortens them, so the result reads as hand-written code. The fixes set
/// their own whitespace: the formatter would also reflow the user's lines around them.
/// </summary>
internal static class ImportCleanup
{
    public static readonly SyntaxAnnotation[] Annotations = { Simplifier.Annotation, Simplifier.AddImportsAnnotation };

    public static async Task<Document> RunAsync(Document document, CancellationToken cancellationToken)
    {
        document = await ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
