using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Rpc.Generators.Diagnostics;

namespace Rpc.Generators.Analyzers;

/// <summary>
/// RPC019: a streaming method (an <c>IAsyncEnumerable&lt;T&gt;</c> result or parameter) that takes no
/// <c>CancellationToken</c>. Streams are the calls that run for long: without a token the server's iterator, or its
/// loop over the request stream, cannot learn that the caller left, cancelled or passed its deadline.
/// </summary>
internal static class StreamCancellationRule
{
    public static void Check(INamedTypeSymbol service, KnownRpcSymbols known, Action<Diagnostic> report)
    {
        foreach (INamedTypeSymbol declaring in new[] { service }.Concat(service.AllInterfaces))
        {
            foreach (ISymbol member in declaring.GetMembers())
            {
                if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary, IsStatic: false } method
                    && IsStreaming(method, known)
                    && !method.Parameters.Any(p => known.IsCancellationToken(p.Type)))
                {
                    report(Diagnostic.Create(DiagnosticDescriptors.StreamWithoutCancellationToken,
                        method.Locations.FirstOrDefault(), declaring.Name + "." + method.Name));
                }
            }
        }
    }

    private static bool IsStreaming(IMethodSymbol method, KnownRpcSymbols known) =>
        known.IsAsyncEnumerable(method.ReturnType) || method.Parameters.Any(p => known.IsAsyncEnumerable(p.Type));
}
