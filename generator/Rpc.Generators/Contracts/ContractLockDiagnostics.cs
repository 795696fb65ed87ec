using Microsoft.CodeAnalysis;

namespace Rpc.Generators.Contracts;

/// <summary>What the contract-lock analyzer reports (docs/diagnostics.md, docs/contracts.md).</summary>
internal static class ContractLockDiagnostics
{
    private const string Category = "Rpc.Contracts";
    private const string Update = " If the change is intended, update the lock with 'dotnet build -p:RpcUpdateContractLock=true'.";

    public static readonly DiagnosticDescriptor MethodRemoved = Create(
        "RPC100", "A locked method was removed",
        "{0} is in rpc-contract.lock.json but no longer in the service: existing clients calling it will fail." + Update,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor MethodChanged = Create(
        "RPC101", "A locked method's signature changed",
        "{0} changed: {1}; existing peers send or expect the old shape." + Update,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor MethodIdMoved = Create(
        "RPC102", "A locked method's id moved",
        "{0} had method id {1} in rpc-contract.lock.json and now has {2}: existing clients call the old id. Pin it with [RpcMethod({1})]." + Update,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor LayoutChanged = Create(
        "RPC103", "A locked type's wire layout changed",
        "{0}: {1}; payloads written by existing peers no longer read the same." + Update,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor UnionCaseChanged = Create(
        "RPC104", "A locked union case changed",
        "{0}: {1}; existing peers write or expect the old tag." + Update,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor NotInLock = Create(
        "RPC110", "A compatible change is not in the contract lock yet",
        "{0} is not in rpc-contract.lock.json: the change is compatible, record it with 'dotnet build -p:RpcUpdateContractLock=true'",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor LockUnreadable = Create(
        "RPC111", "The contract lock cannot be read",
        "rpc-contract.lock.json cannot be read as a contract: {0}. Rewrite it with 'dotnet build -p:RpcUpdateContractLock=true'.",
        DiagnosticSeverity.Warning);

    // Reported once the whole compilation is seen; the help link is the id's section of docs/diagnostics.md.
    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true,
            helpLinkUri: Diagnostics.DiagnosticDescriptors.HelpLink(id), customTags: WellKnownDiagnosticTags.CompilationEnd);
}
