namespace Rpc.Generators.Analyzers;

/// <summary>Keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> that code fixes read.</summary>
internal static class DiagnosticProperties
{
    /// <summary>The documentation comment id of the <c>[RpcService]</c> interface a service diagnostic belongs to.</summary>
    public const string ServiceId = "RpcServiceId";
}
