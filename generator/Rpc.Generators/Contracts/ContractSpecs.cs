using Rpc.Generators.Model;

namespace Rpc.Generators.Contracts;

/// <summary>
/// What the contract needs to know about the types a service reaches that the formatter models do not say: enums
/// (their underlying type and values) and which names are value types (where <c>?</c> means <c>Nullable&lt;T&gt;</c>).
/// </summary>
internal sealed record ContractTypeFactsSpec(
    EquatableArray<EnumContractSpec> Enums,
    EquatableArray<string> ValueTypes)
{
    public static readonly ContractTypeFactsSpec Empty = new(EquatableArray<EnumContractSpec>.Empty, EquatableArray<string>.Empty);
}

/// <summary>An enum: written as its underlying integer.</summary>
internal sealed record EnumContractSpec(string TypeName, string UnderlyingType, EquatableArray<EnumValueContractSpec> Values);

/// <summary>One named value of an enum.</summary>
internal sealed record EnumValueContractSpec(string Name, string Value);

/// <summary>The contract of one service, as the JSON document the runtime registers for it.</summary>
internal sealed record ServiceContractSpec(string ServiceName, string Json);

/// <summary>Every contract of the assembly: one document per service and the whole assembly's document.</summary>
internal sealed record ContractSetSpec(EquatableArray<ServiceContractSpec> Services, string AssemblyJson)
{
    public static readonly ContractSetSpec Empty = new(EquatableArray<ServiceContractSpec>.Empty, string.Empty);
}
