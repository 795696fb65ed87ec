using System;
using Microsoft.Extensions.Configuration;

namespace Rpc.Hosting;

/// <summary>
/// The <see cref="RpcServerOptions"/> values configuration can carry: the scalar ones. Bound by the generated binder,
/// then copied over the options, so that what only code can give (TLS certificates and callbacks, interceptors,
/// delegates) is never touched by the binder.
/// </summary>
internal sealed class RpcServerOptionsConfiguration
{
    public int? MaxFrameSize { get; set; }
    public TimeSpan? ShutdownTimeout { get; set; }
    public bool? IncludeExceptionDetails { get; set; }
    public TimeSpan? PrefaceTimeout { get; set; }
    public TimeSpan? HandshakeTimeout { get; set; }
    public int? StreamWindowSize { get; set; }
    public int? MaxMetadataSize { get; set; }
    public int? MaxConcurrentCallsPerConnection { get; set; }
    public int? MaxQueuedSendBytesPerConnection { get; set; }
    public bool? AlwaysCreateContext { get; set; }
    public TimeSpan? KeepAliveInterval { get; set; }
    public TimeSpan? KeepAliveTimeout { get; set; }
    public TimeSpan? MinClientPingInterval { get; set; }
    public TimeSpan? MaxConnectionAge { get; set; }
    public TimeSpan? MaxConnectionIdle { get; set; }
    public int? MaxConnections { get; set; }
    public bool? EnableDescription { get; set; }

    public static void Apply(IConfiguration section, RpcServerOptions options)
    {
        var read = new RpcServerOptionsConfiguration();
        section.Bind(read);
        options.MaxFrameSize = read.MaxFrameSize ?? options.MaxFrameSize;
        options.ShutdownTimeout = read.ShutdownTimeout ?? options.ShutdownTimeout;
        options.IncludeExceptionDetails = read.IncludeExceptionDetails ?? options.IncludeExceptionDetails;
        options.PrefaceTimeout = read.PrefaceTimeout ?? options.PrefaceTimeout;
        options.HandshakeTimeout = read.HandshakeTimeout ?? options.HandshakeTimeout;
        options.StreamWindowSize = read.StreamWindowSize ?? options.StreamWindowSize;
        options.MaxMetadataSize = read.MaxMetadataSize ?? options.MaxMetadataSize;
        options.MaxConcurrentCallsPerConnection = read.MaxConcurrentCallsPerConnection ?? options.MaxConcurrentCallsPerConnection;
        options.MaxQueuedSendBytesPerConnection = read.MaxQueuedSendBytesPerConnection ?? options.MaxQueuedSendBytesPerConnection;
        options.AlwaysCreateContext = read.AlwaysCreateContext ?? options.AlwaysCreateContext;
        options.KeepAliveInterval = read.KeepAliveInterval ?? options.KeepAliveInterval;
        options.KeepAliveTimeout = read.KeepAliveTimeout ?? options.KeepAliveTimeout;
        options.MinClientPingInterval = read.MinClientPingInterval ?? options.MinClientPingInterval;
        options.MaxConnectionAge = read.MaxConnectionAge ?? options.MaxConnectionAge;
        options.MaxConnectionIdle = read.MaxConnectionIdle ?? options.MaxConnectionIdle;
        options.MaxConnections = read.MaxConnections ?? options.MaxConnections;
        options.EnableDescription = read.EnableDescription ?? options.EnableDescription;
    }
}
