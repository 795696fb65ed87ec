using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Rpc.Generators.Analyzers;
using Rpc.Generators.Diagnostics;
using Rpc.Generators.Model;
using Rpc.Generators.Parsing;

namespace Rpc.Generators.CodeFixes;

/// <summary>
/// RPC008: pins the second of two colliding methods (the one the diagnostic points at) with <c>[RpcMethod(id)]</c>
/// on the first free id above the collision, so the first method keeps its id and clients already calling it are
/// unaffected. "Free" is decided by the generator's own parser: the fix tries the pinned id and keeps it only if the
/// service then reports no collision on it. No fix-all: fixes computed side by side could pick the same free id.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PinMethodIdFix)), Shared]
public sealed class PinMethodIdFix : SyntaxCodeFix<MethodDeclarationSyntax>
{
    private const int MaxAttempts = 64;

    /// <summary>Creates the fix.</summary>
    public PinMethodIdFix()
        : base(DiagnosticDescriptors.MethodIdCollision)
    {
    }

    /// <inheritdoc />
    public override FixAllProvider? GetFixAllProvider() => null;

    private protected override string? Title(MethodDeclarationSyntax method, Diagnostic diagnostic) =>
        diagnostic.Properties.ContainsKey(DiagnosticProperties.ServiceId) ? $"Pin '{method.Identifier.ValueText}' to a free method id with [RpcMethod]" : null;

    private protected override async Task<Document> ApplyAsync(Document document, MethodDeclarationSyntax method, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        string serviceId = diagnostic.Properties[DiagnosticProperties.ServiceId]!;
        SemanticModel model = (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;
        if (model.GetDeclaredSymbol(method, cancellationToken) is not IMethodSymbol symbol
            || CurrentId(model.Compilation, symbol, serviceId, cancellationToken) is not uint collidingId)
        {
            return document;
        }
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        var annotation = new SyntaxAnnotation();
        root = root.ReplaceNode(method, method.WithAdditionalAnnotations(annotation));

        Document candidate = document;
        uint id = collidingId;
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            id = id == uint.MaxValue ? 1 : id + 1; // 0 is "no method" on the wire
            candidate = await PinAsync(document, root, annotation, id, cancellationToken).ConfigureAwait(false);
            if (!await CollidesAsync(candidate, serviceId, id, cancellationToken).ConfigureAwait(false))
            {
                break;
            }
        }
        return candidate;
    }

    /// <summary>The id the parser reports the collision with (the method's computed or pinned id).</summary>
    private static uint? CurrentId(Compilation compilation, IMethodSymbol method, string serviceId, CancellationToken cancellationToken)
    {
        string? hex = Collisions(compilation, serviceId, cancellationToken)
            .Where(d => d.MessageArgs.Items[1] == method.Name)
            .Select(d => d.MessageArgs.Items[3])
            .FirstOrDefault();
        return hex is not null && uint.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint id) ? id : null;
    }

    private static async Task<bool> CollidesAsync(Document document, string serviceId, uint id, CancellationToken cancellationToken)
    {
        Compilation compilation = (await document.Project.GetCompilationAsync(cancellationToken).ConfigureAwait(false))!;
        string hex = id.ToString("X8", CultureInfo.InvariantCulture);
        return Collisions(compilation, serviceId, cancellationToken).Any(d => d.MessageArgs.Items[3] == hex);
    }

    /// <summary>The RPC008 findings of the generator's parser for the service, as it would report them.</summary>
    private static DiagnosticInfo[] Collisions(Compilation compilation, string serviceId, CancellationToken cancellationToken)
    {
        if (DocumentationCommentId.GetFirstSymbolForDeclarationId(serviceId, compilation) is not INamedTypeSymbol service
            || service.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == WellKnownNames.RpcServiceAttribute) is not { } attribute)
        {
            return System.Array.Empty<DiagnosticInfo>();
        }
        return ServiceParser.Parse(service, null, attribute, cancellationToken).Diagnostics
            .Where(d => d.DescriptorId == DiagnosticDescriptors.MethodIdCollision.Id)
            .ToArray();
    }

    private static Task<Document> PinAsync(Document document, SyntaxNode root, SyntaxAnnotation annotation, uint id, CancellationToken cancellationToken)
    {
        var method = (MethodDeclarationSyntax)root.GetAnnotatedNodes(annotation).Single();
        // Only the name is simplified (and so re-formatted); the rest keeps the user's layout.
        AttributeListSyntax pin = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
            SyntaxFactory.Attribute(
                SyntaxFactory.ParseName("global::Rpc.RpcMethod"),
                SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.AttributeArgument(
                    SyntaxFactory.ParseExpression(Literal(id))))))))
            .NormalizeWhitespace();
        pin = pin.ReplaceNode(pin.Attributes[0].Name, pin.Attributes[0].Name.WithAdditionalAnnotations(ImportCleanup.Annotations));
        MethodDeclarationSyntax pinned = method.AttributeLists.FirstOrDefault(l => l.Attributes.Any(IsRpcMethod)) is { } existing
            ? method.ReplaceNode(existing, pin.WithTriviaFrom(existing))
            : WithLeadingAttribute(method, pin);
        Document changed = document.WithSyntaxRoot(root.ReplaceNode(method, pinned));
        return ImportCleanup.RunAsync(changed, cancellationToken);
    }

    /// <summary>Small ids read best in decimal (as people pin them); hashed ids in hex, as RPC008's message shows them.</summary>
    private static string Literal(uint id) =>
        id < 0x10000 ? id.ToString(CultureInfo.InvariantCulture) : "0x" + id.ToString("X8", CultureInfo.InvariantCulture);

    private static bool IsRpcMethod(AttributeSyntax attribute) =>
        attribute.Name.ToString() is "RpcMethod" or "RpcMethodAttribute" or "Rpc.RpcMethod" or "Rpc.RpcMethodAttribute" or "global::Rpc.RpcMethod" or "global::Rpc.RpcMethodAttribute";

    /// <summary>Puts <paramref name="attribute"/> first, on the method's line, keeping the method's indentation and comments before it.</summary>
    private static MethodDeclarationSyntax WithLeadingAttribute(MethodDeclarationSyntax method, AttributeListSyntax attribute)
    {
        SyntaxTriviaList leading = method.GetLeadingTrivia();
        MethodDeclarationSyntax bare = method.WithLeadingTrivia(SyntaxFactory.TriviaList());
        return bare.WithAttributeLists(bare.AttributeLists.Insert(0, attribute.WithLeadingTrivia(leading).WithTrailingTrivia(SyntaxFactory.Space)));
    }
}
