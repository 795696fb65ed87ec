namespace Rpc.Generators.Model;

/// <summary>An <c>[RpcService]</c> interface: what the proxy and the dispatcher are emitted from.</summary>
internal sealed record ServiceSpec(
    string Namespace,
    string InterfaceName,
    string InterfaceFullName,
    string ServiceName,
    string GeneratedNamePrefix,
    bool IsPublic,
    EquatableArray<MethodSpec> Methods);

/// <summary>One method of a service.</summary>
internal sealed record MethodSpec(
    string Name,
    string DescriptorFieldName,
    string DeclaringInterfaceFullName,
    uint Id,
    MethodKindSpec Kind,
    ReturnShape ReturnShape,
    string? ResultTypeName,
    string ReturnTypeName,
    EquatableArray<ParameterSpec> Parameters,
    string? CancellationTokenParameterName,
    ClientStreamSpec? ClientStream,
    bool IsIdempotent = false);

/// <summary>The <c>IAsyncEnumerable&lt;T&gt;</c> parameter of a client-streaming or duplex method.</summary>
internal sealed record ClientStreamSpec(string ParameterName, string ParameterTypeName, string ItemTypeName, int Position);

/// <summary>One serialized parameter.</summary>
internal sealed record ParameterSpec(string Name, string TypeName, StringEncodingSpec Encoding)
{
    /// <summary>Marked <c>[RpcHashKey]</c>: the key a consistent-hash balancer routes the call on.</summary>
    public bool IsHashKey { get; init; }

    /// <summary>A string already: the hash key needs no conversion.</summary>
    public bool IsString { get; init; }
}

/// <summary>The method's shape on the wire (mirrors the runtime's <c>RpcMethodKind</c>).</summary>
internal enum MethodKindSpec
{
    Unary = 0,
    OneWay = 1,
    ServerStreaming = 2,
    ClientStreaming = 3,
    DuplexStreaming = 4,
}

/// <summary>What the C# method returns.</summary>
internal enum ReturnShape
{
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
    AsyncEnumerable,
}

/// <summary>How a string member or parameter is written.</summary>
internal enum StringEncodingSpec
{
    /// <summary>Not a string, or a string in the options' encoding.</summary>
    Default,
    Utf8,
    Utf16,
}
