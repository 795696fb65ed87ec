using System;
using Rpc.Serialization;

namespace Rpc;

/// <summary>Options for <see cref="RpcServer"/>.</summary>
public sealed class RpcServerOptions
{
    /// <summary>
    /// The largest frame payload, in bytes, the server accepts or sends. A client frame over it closes that
    /// client's connection; a result over it fails that call with <see cref="RpcStatusCode.ResourceExhausted"/>.
    /// Default 4 MiB.
    /// </summary>
    public int MaxFrameSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>How long <see cref="RpcServer.DisposeAsync"/> lets calls in flight finish before cancelling them. Default 5 seconds.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// When true, a handler's exception (<see cref="Exception.ToString"/>, stack trace included) travels to the
    /// client as <see cref="RpcException.ServerDetail"/>. Default false: clients see only the status and message.
    /// </summary>
    public bool IncludeExceptionDetails { get; set; }

    /// <summary>The options arguments and results are serialized with. Default <see cref="RpcSerializerOptions.Default"/>.</summary>
    public RpcSerializerOptions SerializerOptions { get; set; } = RpcSerializerOptions.Default;

    /// <summary>How long a new connection may take to send its preface before it is closed. Default 5 seconds.</summary>
    public TimeSpan PrefaceTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
