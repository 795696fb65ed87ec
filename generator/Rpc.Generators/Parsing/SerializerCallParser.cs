using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Rpc.Generators.Model;

namespace Rpc.Generators.Parsing;

/// <summary>
/// Finds <c>RpcSerializer.Serialize&lt;T&gt;</c> and <c>Deserialize&lt;T&gt;</c> calls so that every <c>T</c> a
/// program serializes directly gets its formatters registered at compile time, with no runtime discovery.
/// </summary>
internal static class SerializerCallParser
{
    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken) =>
        node is InvocationExpressionSyntax
        {
            Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Serialize" or "Deserialize" }
                or SimpleNameSyntax { Identifier.ValueText: "Serialize" or "Deserialize" }, // using static
        };

    public static TypesParseResult Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken) =>
        Parse(context.SemanticModel.GetSymbolInfo(context.Node, cancellationToken).Symbol as IMethodSymbol, context.Node);

    /// <summary>
    /// The entry point the generator and <see cref="Analyzers.RpcContractAnalyzer"/> share: <paramref name="target"/>
    /// is the method <paramref name="call"/> invokes, if it binds.
    /// </summary>
    public static TypesParseResult Parse(IMethodSymbol? target, SyntaxNode call)
    {
        if (target is not IMethodSymbol method
            || !method.ContainingType.Is(WellKnownNames.RpcSerializer)
            || method.TypeArguments.Length != 1
            || method.TypeArguments[0] is ITypeParameterSymbol)
        {
            return TypesParseResult.Empty;
        }
        var diagnostics = new List<DiagnosticInfo>();
        var builder = new SerializationModelBuilder(diagnostics);
        ITypeSymbol type = method.TypeArguments[0];
        builder.AddRoot(type, call.GetLocation(), $"RpcSerializer.{method.Name}<{type.ToDisplayString()}>");
        return new TypesParseResult(builder.ToSpec(), diagnostics.ToEquatableArray());
    }
}
