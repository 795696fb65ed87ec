using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Rpc.Generators.Diagnostics;

/// <summary>
/// Every diagnostic <see cref="Analyzers.RpcContractAnalyzer"/> reports about service contracts and messages (the
/// generator reports none: it skips what it cannot generate). Ids are stable: never reuse a retired one.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Rpc";

    /// <summary>docs/diagnostics.md on the default branch; each id has an anchor there (<c>#rpc001</c>).</summary>
    public const string HelpDocument = RepositoryInfo.Url + "/blob/main/docs/diagnostics.md";

    public static readonly DiagnosticDescriptor ServiceMustBeInterface = Error(
        "RPC001", "[RpcService] needs an interface",
        "'{0}' is marked [RpcService] but is not an interface; declare the service contract as an interface");

    public static readonly DiagnosticDescriptor GenericServiceNotSupported = Error(
        "RPC002", "Generic service interfaces are not supported",
        "Service '{0}' is generic; declare a non-generic interface per contract (for example IRepository<Order> becomes IOrderRepository)");

    public static readonly DiagnosticDescriptor GenericMethodNotSupported = Error(
        "RPC003", "Generic service methods are not supported",
        "Method '{0}' is generic; the wire needs concrete types, so declare one method per type argument");

    public static readonly DiagnosticDescriptor ByRefParameterNotSupported = Error(
        "RPC004", "ref, out and in parameters are not supported",
        "Parameter '{0}' of '{1}' is passed by reference ({2}); pass it by value and return results in the reply type");

    public static readonly DiagnosticDescriptor NonMethodMemberNotSupported = Error(
        "RPC005", "Services may only declare methods",
        "'{0}' is a {1}; a service contract may only declare instance methods (move state into a method call)");

    public static readonly DiagnosticDescriptor UnsupportedReturnType = Error(
        "RPC006", "Service methods must be asynchronous",
        "Method '{0}' returns '{1}'; return Task, Task<T>, ValueTask or ValueTask<T>");

    public static readonly DiagnosticDescriptor TypeNotSerializable = Error(
        "RPC007", "Type cannot be serialized",
        "{0}: type '{1}' cannot be serialized{2}; {3}");

    public static readonly DiagnosticDescriptor MethodIdCollision = Error(
        "RPC008", "Two methods have the same id",
        "Methods '{0}' and '{1}' of service '{2}' share id 0x{3}; pin a different id on one with [RpcMethod(id)]");

    public static readonly DiagnosticDescriptor CancellationTokenPosition = Error(
        "RPC009", "CancellationToken must be the last parameter",
        "Method '{0}' takes a CancellationToken that is not its only and last parameter; a service method may take one CancellationToken, last");

    public static readonly DiagnosticDescriptor InvalidStreamingSignature = Error(
        "RPC010", "Invalid streaming signature",
        "Method '{0}' {1}; a method may take one IAsyncEnumerable<T> parameter (client streaming) and may return IAsyncEnumerable<T> (server streaming), both for duplex");

    public static readonly DiagnosticDescriptor OneWayMustReturnTask = Error(
        "RPC011", "One-way methods must return Task or ValueTask",
        "Method '{0}' is [RpcOneWay] but returns '{1}'; a one-way call has no result, so return Task or ValueTask");

    public static readonly DiagnosticDescriptor IncludeNeedsPartial = Error(
        "RPC012", "Non-public members need a partial type",
        "Type '{0}' serializes non-public member '{1}'; declare the type (and every type containing it) partial so the generated formatter can reach it");

    public static readonly DiagnosticDescriptor NoUsableConstructor = Error(
        "RPC013", "No usable constructor",
        "Type '{0}' cannot be constructed for deserialization: {1}");

    public static readonly DiagnosticDescriptor OrderRequired = Error(
        "RPC014", "Member order is required",
        "Type '{0}' uses an explicit layout but member '{1}' {2}; give every member a distinct [RpcOrder(n)]");

    public static readonly DiagnosticDescriptor InvalidUnion = Error(
        "RPC015", "Invalid union",
        "Union '{0}': {1}");

    public static readonly DiagnosticDescriptor CircularNeedsSettableMembers = Error(
        "RPC016", "Circular-reference types need a parameterless constructor and settable members",
        "Type '{0}' uses GenerateType.CircularReference, so it is created before its members are read: {1}");

    public static readonly DiagnosticDescriptor TooManyMembers = Error(
        "RPC017", "Too many members",
        "Type '{0}' has {1} serialized members; the wire format allows at most 249");

    public static readonly DiagnosticDescriptor TypeNotAccessible = Error(
        "RPC018", "Type is not accessible to generated code",
        "Type '{0}' is private or protected; generated formatters live beside it in the assembly, so make it internal or public, or make it and its containing types partial");

    public static readonly DiagnosticDescriptor StreamWithoutCancellationToken = new(
        "RPC019", "Streaming method without a CancellationToken",
        "Method '{0}' streams but takes no CancellationToken; add one as the last parameter so the server's side stops when the caller leaves, cancels or passes its deadline",
        Category, DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: HelpLink("RPC019"));

    public static readonly IReadOnlyDictionary<string, DiagnosticDescriptor> ById = new[]
    {
        ServiceMustBeInterface, GenericServiceNotSupported, GenericMethodNotSupported, ByRefParameterNotSupported,
        NonMethodMemberNotSupported, UnsupportedReturnType, TypeNotSerializable, MethodIdCollision,
        CancellationTokenPosition, InvalidStreamingSignature, OneWayMustReturnTask, IncludeNeedsPartial,
        NoUsableConstructor, OrderRequired, InvalidUnion, CircularNeedsSettableMembers, TooManyMembers, TypeNotAccessible,
        StreamWithoutCancellationToken,
    }.ToDictionary(d => d.Id);

    /// <summary>The page and anchor that explain <paramref name="id"/>.</summary>
    public static string HelpLink(string id) => HelpDocument + "#" + id.ToLowerInvariant();

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(id));
}
