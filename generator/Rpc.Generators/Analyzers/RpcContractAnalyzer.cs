using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Rpc.Generators.Diagnostics;
using Rpc.Generators.Model;
using Rpc.Generators.Parsing;

namespace Rpc.Generators.Analyzers;

/// <summary>
/// Reports RPC001-RPC019 (docs/diagnostics.md) at the user's own syntax: what the generator's parsers find wrong in
/// <c>[RpcService]</c> interfaces, <c>[RpcMessage]</c> types and <c>RpcSerializer</c> calls (the same parsers, so the
/// rules live in one place), plus the RPC019 suggestion for streams without a <c>CancellationToken</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RpcContractAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        DiagnosticDescriptors.ById.Values.OrderBy(d => d.Id, System.StringComparer.Ordinal).ToImmutableArray();

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            if (KnownRpcSymbols.Resolve(start.Compilation) is not { } known)
            {
                return; // the project does not reference Rpc
            }
            var reporter = new ParserDiagnosticReporter(start.Compilation);
            start.RegisterSymbolAction(symbol => AnalyzeType(symbol, known, reporter), SymbolKind.NamedType);
            if (known.RpcSerializer is not null)
            {
                start.RegisterOperationAction(operation => AnalyzeSerializerCall(operation, known, reporter), OperationKind.Invocation);
            }
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, KnownRpcSymbols known, ParserDiagnosticReporter reporter)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass is null)
            {
                continue;
            }
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, known.RpcServiceAttribute))
            {
                ServiceParseResult result = ServiceParser.Parse(type, DeclarationOf(attribute, context.CancellationToken), attribute, context.CancellationToken);
                reporter.Report(type, result.Diagnostics, context.ReportDiagnostic, context.CancellationToken, ServiceProperties(type));
                if (result.Service is not null)
                {
                    // Only on a contract that generates: a suggestion is noise beside an error.
                    StreamCancellationRule.Check(type, known, d => { if (reporter.IsFirst(d)) context.ReportDiagnostic(d); });
                }
            }
            else if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, known.RpcMessageAttribute))
            {
                TypesParseResult result = MessageParser.Parse(type, DeclarationOf(attribute, context.CancellationToken), context.CancellationToken);
                reporter.Report(type, result.Diagnostics, context.ReportDiagnostic, context.CancellationToken);
            }
        }
    }

    private static void AnalyzeSerializerCall(OperationAnalysisContext context, KnownRpcSymbols known, ParserDiagnosticReporter reporter)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, known.RpcSerializer)
            || !SerializerCallParser.IsCandidate(invocation.Syntax, context.CancellationToken))
        {
            return;
        }
        TypesParseResult result = SerializerCallParser.Parse(invocation.TargetMethod, invocation.Syntax);
        reporter.Report(context.ContainingSymbol, result.Diagnostics, context.ReportDiagnostic, context.CancellationToken);
    }

    /// <summary>Names the service a diagnostic belongs to (a method may be declared on a base interface).</summary>
    private static ImmutableDictionary<string, string?> ServiceProperties(INamedTypeSymbol service) =>
        ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.ServiceId, DocumentationCommentId.CreateDeclarationId(service));

    /// <summary>The type declaration that carries <paramref name="attribute"/>, as the generator's attribute lookup finds it.</summary>
    private static SyntaxNode? DeclarationOf(AttributeData attribute, CancellationToken cancellationToken) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).FirstAncestorOrSelf<MemberDeclarationSyntax>();
}
