namespace Rpc.Generators;

/// <summary>Names of the generator's tracked steps, for incrementality tests.</summary>
internal static class TrackingNames
{
    public const string Services = nameof(Services);
    public const string Messages = nameof(Messages);
    public const string MemoryPackMessages = nameof(MemoryPackMessages);
    public const string SerializerCalls = nameof(SerializerCalls);
    public const string Formatters = nameof(Formatters);
    public const string Registrations = nameof(Registrations);
    public const string ContractFacts = nameof(ContractFacts);
    public const string Contracts = nameof(Contracts);
}
