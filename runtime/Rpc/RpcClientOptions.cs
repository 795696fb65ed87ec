using System;
using Rpc.Serialization;

namespace Rpc;

/// <summary>Options for <see cref="RpcClient"/>.</summary>
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
}
