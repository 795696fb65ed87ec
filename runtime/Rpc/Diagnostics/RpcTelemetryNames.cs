namespace Rpc.Diagnostics;

/// <summary>
/// Every name the runtime's traces and metrics use, in one place: the OpenTelemetry RPC semantic conventions are
/// still moving, and a rename is a change here only. Span and attribute names follow the conventions as of
/// v1.38 (<c>rpc.system.name</c>, <c>rpc.method</c> as <c>Service/Method</c>, <c>rpc.response.status_code</c> as
/// gRPC spells the status); the instrument names follow <c>rpc.{client|server}.call.duration</c>.
/// </summary>
public static class RpcTelemetryNames
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> name: <c>AddSource("Rpc")</c>.</summary>
    public const string ActivitySourceName = "Rpc";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> name: <c>AddMeter("Rpc")</c>.</summary>
    public const string MeterName = "Rpc";

    /// <summary>The value of <see cref="RpcSystemName"/> for this SDK.</summary>
    public const string RpcSystem = "dotnet_rpc";

    // ---- attributes (span tags and metric tags) ----

    /// <summary>The RPC system: <see cref="RpcSystem"/>.</summary>
    public const string RpcSystemName = "rpc.system.name";

    /// <summary>The method's full name, <c>Service/Method</c>; also the span name.</summary>
    public const string RpcMethod = "rpc.method";

    /// <summary>The call's status as gRPC spells it: <c>OK</c>, <c>NOT_FOUND</c>, <c>DEADLINE_EXCEEDED</c>, ...</summary>
    public const string RpcResponseStatusCode = "rpc.response.status_code";

    /// <summary>On failure: the status name (as <see cref="RpcResponseStatusCode"/>), or the exception's full type name for a failure with no status.</summary>
    public const string ErrorType = "error.type";

    /// <summary>The server's host name or address, as the client dialled it.</summary>
    public const string ServerAddress = "server.address";

    /// <summary>The server's port, as the client dialled it.</summary>
    public const string ServerPort = "server.port";

    /// <summary>The peer's address as the transport sees it (server spans: the client's).</summary>
    public const string NetworkPeerAddress = "network.peer.address";

    /// <summary>Which end of a connection a connection metric counts: <c>client</c> or <c>server</c>.</summary>
    public const string ConnectionSide = "rpc.connection.side";

    /// <summary>Why a call was sent again: <c>transparent</c> (the server never saw it) or <c>policy</c> (an idempotent method's retry policy).</summary>
    public const string RetryKind = "rpc.retry.kind";

    // ---- metrics ----

    /// <summary>Histogram, seconds: how long the server took per call, from the request to the end of its response.</summary>
    public const string ServerCallDuration = "rpc.server.call.duration";

    /// <summary>Histogram, seconds: how long calls took for the client, from the start to the result.</summary>
    public const string ClientCallDuration = "rpc.client.call.duration";

    /// <summary>Up-down counter, calls: the server's calls in flight.</summary>
    public const string ServerActiveCalls = "rpc.server.active_calls";

    /// <summary>Up-down counter, calls: the client's calls in flight.</summary>
    public const string ClientActiveCalls = "rpc.client.active_calls";

    /// <summary>Up-down counter, connections: connections open, tagged with <see cref="ConnectionSide"/>.</summary>
    public const string OpenConnections = "rpc.connection.open";

    /// <summary>Counter, bytes: bytes written to connections, tagged with <see cref="ConnectionSide"/>.</summary>
    public const string BytesSent = "rpc.connection.bytes_sent";

    /// <summary>Counter, bytes: bytes read from connections, tagged with <see cref="ConnectionSide"/>.</summary>
    public const string BytesReceived = "rpc.connection.bytes_received";

    /// <summary>Counter, connections: connections a client made again after its first.</summary>
    public const string ClientReconnects = "rpc.client.reconnects";

    /// <summary>Counter, calls: calls sent again, tagged with <see cref="RetryKind"/>.</summary>
    public const string ClientRetries = "rpc.client.retries";

    // ---- W3C trace context in request metadata ----

    /// <summary>The W3C <c>traceparent</c> request header.</summary>
    public const string TraceParentHeader = "traceparent";

    /// <summary>The W3C <c>tracestate</c> request header.</summary>
    public const string TraceStateHeader = "tracestate";

    /// <summary>The W3C <c>baggage</c> request header.</summary>
    public const string BaggageHeader = "baggage";

    /// <summary>The name gRPC gives a status, as <see cref="RpcResponseStatusCode"/> carries it.</summary>
    public static string StatusName(RpcStatusCode status) => status switch
    {
        RpcStatusCode.OK => "OK",
        RpcStatusCode.Cancelled => "CANCELLED",
        RpcStatusCode.Unknown => "UNKNOWN",
        RpcStatusCode.InvalidArgument => "INVALID_ARGUMENT",
        RpcStatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        RpcStatusCode.NotFound => "NOT_FOUND",
        RpcStatusCode.AlreadyExists => "ALREADY_EXISTS",
        RpcStatusCode.PermissionDenied => "PERMISSION_DENIED",
        RpcStatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        RpcStatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        RpcStatusCode.Aborted => "ABORTED",
        RpcStatusCode.OutOfRange => "OUT_OF_RANGE",
        RpcStatusCode.Unimplemented => "UNIMPLEMENTED",
        RpcStatusCode.Internal => "INTERNAL",
        RpcStatusCode.Unavailable => "UNAVAILABLE",
        RpcStatusCode.DataLoss => "DATA_LOSS",
        RpcStatusCode.Unauthenticated => "UNAUTHENTICATED",
        _ => ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
