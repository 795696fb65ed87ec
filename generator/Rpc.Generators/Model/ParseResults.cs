namespace Rpc.Generators.Model;

/// <summary>What the parser makes of one <c>[RpcService]</c> interface.</summary>
internal sealed record ServiceParseResult(
    ServiceSpec? Service,
    SerializationSpec Serialization,
    EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>What the parser makes of one <c>[RpcMessage]</c> type or one <c>RpcSerializer</c> call.</summary>
internal sealed record TypesParseResult(
    SerializationSpec Serialization,
    EquatableArray<DiagnosticInfo> Diagnostics)
{
    public static readonly TypesParseResult Empty = new(SerializationSpec.Empty, EquatableArray<DiagnosticInfo>.Empty);
}
