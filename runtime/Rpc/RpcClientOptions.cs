using System;
using System.Collections.Generic;
using Rpc.Serialization;

namespace Rpc;

/// <summary>Options for <see cref="RpcClient"/>, read when it connects.</summary>
public sealed class RpcClientOptions
{
    /// <summary>
    /// The largest frame payload, in bytes, the client sends or accepts. A request over it fails that call with
    /// <see cref="RpcStatusCode.ResourceExhausted"/>; a response over it closes the connection. Default 4 MiB.
    /// </summary>
    public int MaxFrameSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>The options arguments and results are serialized with. Default <see cref="RpcSerializerOptions.Default"/>.</summary>
    public RpcSerializerOptions SerializerOptions { get; set; } = RpcSerializerOptions.Default;

    /// <summary>How long connecting and exchanging prefaces may take. Default 10 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The deadline of every call that sets none through <see cref="RpcCallOptions"/>, counted from the call's
    /// start; for a streaming call it covers the whole stream (push <see cref="RpcCallOptions.Timeout"/> =
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for a long-lived one). Default null: no deadline.
    /// </summary>
    public TimeSpan? DefaultTimeout { get; set; }

    /// <summary>Client interceptors, the first registered outermost. Read when the client connects.</summary>
    public IList<IRpcClientInterceptor> Interceptors { get; } = new List<IRpcClientInterceptor>();

    /// <summary>
    /// How many bytes of each response stream may be in flight or buffered here before the server waits for this
    /// client to consume them (the per-stream flow-control window). At least 64 KiB, the protocol's initial window;
    /// default 64 KiB.
    /// </summary>
    public int StreamWindowSize { get; set; } = Protocol.RpcFlowControl.InitialWindow;

    /// <summary>
    /// The largest metadata block, in bytes, the client sends or accepts (request headers; response headers or
    /// trailers). Default 16 KiB.
    /// </summary>
    public int MaxMetadataSize { get; set; } = Protocol.RpcMetadataCodec.DefaultMaxSize;
}
