using Microsoft.CodeAnalysis;

namespace Rpc.Generators.Contracts;

/// <summary>What the contract-lock analyzer reports (docs/diagnostics.md, docs/contracts.md).</summary>
internal static class ContractLockDiagnostics
{
    private const string Category = "Rpc.Contracts";
    private const string Update = " If the change is intended, update the lock with 'dotnet build -p:RpcUpdateContractLock=true'.";

    public static readonly DiagnosticDescriptor MethodRemoved = new(
        "RPC100", "A locked method was removed",
        "{0} is in rpc-contract.lock.json but no longer in the service: existing clients calling it will fail." + Update,
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: Diagnostics.DiagnosticDescriptors.HelpLink("RPC100"), customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor MethodChanged = new(
        "RPC101", "A locked method's signature changed",
        "{0} changed: {1}; existing peers send or expect the old shape." + Update,
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: Diagnostics.DiagnosticDescriptors.HelpLink("RPC101"), customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor MethodIdMoved = new(
        "RPC102", "A locked method's id moved",
        "{0} had method id {1} in rpc-contract.lock.json and now has {2}: existing clients call the old id. Pin it with [RpcMethod({1})]." + Update,
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: Diagnostics.DiagnosticDescriptors.HelpLink("RPC102"), customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor LayoutChanged = new(
        "RPC103", "A locked type's wire layout changed",
        "{0}: {1}; payloads written by existing peers no longer read the same." + Update,
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: Diagnostics.DiagnosticDescriptors.HelpLink("RPC103"), customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor UnionCaseChanged = new(
        "RPC104", "A locked union case changed",
        "{0}: {1}; existing peers write or expect the old tag." + Update,
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: Diagnostics.DiagnosticDescriptors.HelpLink("RPC104"), customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor NotInLock = new(
        "RPC110", "A compatible change is not in the contract lock yet",
        "{0} is not in rpc-contract.lock.json: the change is compatible, record it with 'dotnet build -p:RpcUpdateContractLock=true'",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: Diagnostics.DiagnosticDescriptors.HelpLink("RPC110"), customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor LockUnreadable = new(
        "RPC111", "The contract lock cannot be read",
        "rpc-contract.lock.json cannot be read as a contract: {0}. Rewrite it with 'dotnet build -p:RpcUpdateContractLock=true'.",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: Diagnostics.DiagnosticDescriptors.HelpLink("RPC111"), customTags: WellKnownDiagnosticTags.CompilationEnd);
}
