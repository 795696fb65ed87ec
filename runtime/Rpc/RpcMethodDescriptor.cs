namespace Rpc;

/// <summary>The shape of a method: how many messages flow each way.</summary>
public enum RpcMethodKind
{
    /// <summary>One request, one response.</summary>
    Unary = 0,
    /// <summary>One request, no response.</summary>
    OneWay = 1,
    /// <summary>One request, a stream of responses.</summary>
    ServerStreaming = 2,
    /// <summary>A stream of requests, one response.</summary>
    ClientStreaming = 3,
    /// <summary>Streams both ways.</summary>
    DuplexStreaming = 4,
}

/// <summary>Describes one method of a service: what interceptors, logs and the wire see.</summary>
public sealed class RpcMethodDescriptor
{
    /// <summary>Creates a descriptor; generated code makes one per method.</summary>
    public RpcMethodDescriptor(string serviceName, string methodName, uint id, RpcMethodKind kind)
    {
        ServiceName = serviceName;
        MethodName = methodName;
        Id = id;
        Kind = kind;
        FullName = serviceName + "/" + methodName;
    }

    /// <summary>The service's name, e.g. <c>Demo.IGreeter</c>.</summary>
    public string ServiceName { get; }

    /// <summary>The method's name, e.g. <c>SayHelloAsync</c>.</summary>
    public string MethodName { get; }

    /// <summary><c>Service/Method</c>.</summary>
    public string FullName { get; }

    /// <summary>The method id on the wire.</summary>
    public uint Id { get; }

    /// <summary>The method's shape.</summary>
    public RpcMethodKind Kind { get; }

    /// <summary>
    /// True when the method is marked <see cref="RpcIdempotentAttribute"/>: running it twice has the effect of
    /// running it once, so the client's <see cref="RpcRetryPolicy"/> may send it again after it may have reached
    /// the server.
    /// </summary>
    public bool IsIdempotent { get; init; }

    /// <inheritdoc />
    public override string ToString() => FullName;
}
