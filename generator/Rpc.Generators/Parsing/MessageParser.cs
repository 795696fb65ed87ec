using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Rpc.Generators.Model;

namespace Rpc.Generators.Parsing;

/// <summary>Turns a type marked <c>[RpcMessage]</c> into the formatters and registrations it needs.</summary>
internal static class MessageParser
{
    public static TypesParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type)
        {
            return TypesParseResult.Empty;
        }
        cancellationToken.ThrowIfCancellationRequested();
        var diagnostics = new List<DiagnosticInfo>();
        var builder = new SerializationModelBuilder(diagnostics);
        Location? location = (context.TargetNode as BaseTypeDeclarationSyntax)?.Identifier.GetLocation() ?? type.Locations.FirstOrDefault();
        builder.AddMessage(type, location);
        return new TypesParseResult(builder.ToSpec(), diagnostics.ToEquatableArray());
    }
}
