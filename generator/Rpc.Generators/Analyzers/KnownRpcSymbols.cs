using Microsoft.CodeAnalysis;
using Rpc.Generators.Parsing;

namespace Rpc.Generators.Analyzers;

/// <summary>
/// The well-known symbols the analyzer compares against, resolved once per compilation so that the per-symbol and
/// per-call work is a reference comparison.
/// </summary>
internal sealed class KnownRpcSymbols
{
    private KnownRpcSymbols(Compilation compilation)
    {
        RpcServiceAttribute = compilation.GetTypeByMetadataName(WellKnownNames.RpcServiceAttribute);
        RpcMessageAttribute = compilation.GetTypeByMetadataName(WellKnownNames.RpcMessageAttribute);
        RpcSerializer = compilation.GetTypeByMetadataName(WellKnownNames.RpcSerializer);
        AsyncEnumerable = compilation.GetTypeByMetadataName(WellKnownNames.AsyncEnumerable);
        CancellationToken = compilation.GetTypeByMetadataName(WellKnownNames.CancellationToken);
    }

    public INamedTypeSymbol? RpcServiceAttribute { get; }

    public INamedTypeSymbol? RpcMessageAttribute { get; }

    public INamedTypeSymbol? RpcSerializer { get; }

    public INamedTypeSymbol? AsyncEnumerable { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    /// <summary>The symbols of <paramref name="compilation"/>, or null when it does not reference Rpc (nothing to analyze).</summary>
    public static KnownRpcSymbols? Resolve(Compilation compilation)
    {
        var known = new KnownRpcSymbols(compilation);
        return known.RpcServiceAttribute is null && known.RpcMessageAttribute is null && known.RpcSerializer is null ? null : known;
    }

    public bool IsAsyncEnumerable(ITypeSymbol type) =>
        AsyncEnumerable is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, AsyncEnumerable);

    public bool IsCancellationToken(ITypeSymbol type) =>
        CancellationToken is not null && SymbolEqualityComparer.Default.Equals(type, CancellationToken);
}
