using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Rpc.Generators.Model;

namespace Rpc.Generators.Parsing;

/// <summary>Turns a type marked <c>[RpcMessage]</c> (or MemoryPack's <c>[MemoryPackable]</c>) into the formatters and registrations it needs.</summary>
internal static class MessageParser
{
    public static TypesParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        Parse(context.TargetSymbol, context.TargetNode, cancellationToken);

    /// <summary>
    /// The entry point the generator and <see cref="Analyzers.RpcContractAnalyzer"/> share: <paramref name="targetNode"/>
    /// is the declaration that carries the attribute (diagnostics about the type point at its name).
    /// </summary>
    public static TypesParseResult Parse(ISymbol targetSymbol, SyntaxNode? targetNode, CancellationToken cancellationToken)
    {
        if (targetSymbol is not INamedTypeSymbol type)
        {
            return TypesParseResult.Empty;
        }
        cancellationToken.ThrowIfCancellationRequested();
        var diagnostics = new List<DiagnosticInfo>();
        var builder = new SerializationModelBuilder(diagnostics);
        Location? location = (targetNode as BaseTypeDeclarationSyntax)?.Identifier.GetLocation() ?? type.Locations.FirstOrDefault();
        builder.AddMessage(type, location);
        return new TypesParseResult(builder.ToSpec(), diagnostics.ToEquatableArray());
    }

    /// <summary>
    /// A type marked with MemoryPack's own <c>[MemoryPackable]</c>: read as an <c>[RpcMessage]</c>, but one Rpc cannot
    /// serialize (a MemoryPack feature Rpc lacks) is skipped without a diagnostic, so adding Rpc never breaks a
    /// project's existing MemoryPack types; a service that uses such a type still reports why (RPC007).
    /// </summary>
    public static TypesParseResult ParseMemoryPackable(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        TypesParseResult result = Parse(context, cancellationToken);
        return result.Diagnostics.Count == 0 ? result : TypesParseResult.Empty;
    }
}
