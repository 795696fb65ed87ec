using System.Threading;
using Microsoft.CodeAnalysis;
using Rpc.Generators.Contracts;
using Rpc.Generators.Model;

namespace Rpc.Generators.Parsing;

/// <summary>
/// The transforms that run once per <c>[RpcService]</c> interface on every compilation change, through a
/// <see cref="DeclarationParseCache{T}"/>: an edit that changes no declaration anywhere reads no service again.
/// </summary>
internal static class ReusedParses
{
    private static readonly DeclarationParseCache<ServiceParseResult> s_services = new(static result => result.Diagnostics.Count == 0);
    private static readonly DeclarationParseCache<ContractTypeFactsSpec> s_contractFacts = new(static _ => true);

    public static ServiceParseResult Service(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        s_services.GetOrParse(context, cancellationToken, ServiceParser.Parse);

    public static ContractTypeFactsSpec ContractFacts(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        s_contractFacts.GetOrParse(context, cancellationToken, ContractFactsParser.Parse);
}
