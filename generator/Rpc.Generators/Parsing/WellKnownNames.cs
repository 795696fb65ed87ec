namespace Rpc.Generators.Parsing;

/// <summary>Metadata names the parser matches symbols against (the generator never references the runtime).</summary>
internal static class WellKnownNames
{
    public const string RpcServiceAttribute = "Rpc.RpcServiceAttribute";
    public const string RpcMethodAttribute = "Rpc.RpcMethodAttribute";
    public const string RpcOneWayAttribute = "Rpc.RpcOneWayAttribute";
    public const string RpcIdempotentAttribute = "Rpc.RpcIdempotentAttribute";
    public const string RpcHashKeyAttribute = "Rpc.RpcHashKeyAttribute";
    public const string RpcMessageAttribute = "Rpc.Serialization.RpcMessageAttribute";
    public const string RpcOrderAttribute = "Rpc.Serialization.RpcOrderAttribute";
    public const string RpcIgnoreAttribute = "Rpc.Serialization.RpcIgnoreAttribute";
    public const string RpcIncludeAttribute = "Rpc.Serialization.RpcIncludeAttribute";
    public const string RpcConstructorAttribute = "Rpc.Serialization.RpcConstructorAttribute";
    public const string RpcUnionAttribute = "Rpc.Serialization.RpcUnionAttribute";
    public const string Utf8StringAttribute = "Rpc.Serialization.Utf8StringAttribute";
    public const string Utf16StringAttribute = "Rpc.Serialization.Utf16StringAttribute";
    public const string SuppressDefaultInitializationAttribute = "Rpc.Serialization.SuppressDefaultInitializationAttribute";
    public const string RpcSerializer = "Rpc.Serialization.RpcSerializer";

    // MemoryPack's attributes, honoured exactly as their Rpc twins (matched by name: MemoryPack is never referenced).
    public const string MemoryPackableAttribute = "MemoryPack.MemoryPackableAttribute";

    /// <summary>The MemoryPack attribute that means what <paramref name="rpcAttribute"/> means, or null.</summary>
    public static string? MemoryPackTwinOf(string rpcAttribute) => rpcAttribute switch
    {
        RpcMessageAttribute => MemoryPackableAttribute,
        RpcOrderAttribute => "MemoryPack.MemoryPackOrderAttribute",
        RpcIgnoreAttribute => "MemoryPack.MemoryPackIgnoreAttribute",
        RpcIncludeAttribute => "MemoryPack.MemoryPackIncludeAttribute",
        RpcConstructorAttribute => "MemoryPack.MemoryPackConstructorAttribute",
        RpcUnionAttribute => "MemoryPack.MemoryPackUnionAttribute",
        Utf8StringAttribute => "MemoryPack.Utf8StringFormatterAttribute",
        Utf16StringAttribute => "MemoryPack.Utf16StringFormatterAttribute",
        SuppressDefaultInitializationAttribute => "MemoryPack.SuppressDefaultInitializationAttribute",
        _ => null,
    };

    public const string Task = "System.Threading.Tasks.Task";
    public const string TaskOfT = "System.Threading.Tasks.Task`1";
    public const string ValueTask = "System.Threading.Tasks.ValueTask";
    public const string ValueTaskOfT = "System.Threading.Tasks.ValueTask`1";
    public const string CancellationToken = "System.Threading.CancellationToken";
    public const string AsyncEnumerable = "System.Collections.Generic.IAsyncEnumerable`1";

    public const string FormattersNamespace = "global::Rpc.Serialization.Formatters.";
}
