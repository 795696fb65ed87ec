using System;
using System.Collections.Generic;
using System.Net.Security;
using Rpc.Serialization;

namespace Rpc;

/// <summary>Options for <see cref="RpcServer"/>, read when it is created.</summary>
public sealed class RpcServerOptions
{
    /// <summary>
    /// The largest frame payload, in bytes, the server accepts or sends. A client frame over it closes that
    /// client's connection; a result over it fails that call with <see cref="RpcStatusCode.ResourceExhausted"/>.
    /// Default 4 MiB.
    /// </summary>
    public int MaxFrameSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// How long <see cref="RpcServer.DisposeAsync"/> lets calls in flight finish before cancelling them (what
    /// <see cref="RpcServer.StopAsync"/> does until its token fires). Default 5 seconds.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// When true, a handler's exception (<see cref="Exception.ToString"/>, stack trace included) travels to the
    /// client as <see cref="RpcException.ServerDetail"/>. Default false: clients see only the status and message.
    /// </summary>
    public bool IncludeExceptionDetails { get; set; }

    /// <summary>The options arguments and results are serialized with. Default <see cref="RpcSerializerOptions.Default"/>.</summary>
    public RpcSerializerOptions SerializerOptions { get; set; } = RpcSerializerOptions.Default;

    /// <summary>
    /// How long a new connection may take to send its preface before it is closed. Default 5 seconds. With
    /// <see cref="Tls"/>, the handshake and the preface together are bounded by <see cref="HandshakeTimeout"/> and
    /// by this, whichever is shorter.
    /// </summary>
    public TimeSpan PrefaceTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a new connection may take for its whole setup (the TLS handshake and the preface) before it is
    /// closed: a client that connects and sends nothing, or trickles bytes, is gone by then and never reached a
    /// handler. Default 10 seconds.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// TLS on every TCP and Unix socket listener (the BCL's own options: the server certificate or a selection
    /// callback for rotation, <see cref="SslServerAuthenticationOptions.ClientCertificateRequired"/> and a
    /// <see cref="SslServerAuthenticationOptions.RemoteCertificateValidationCallback"/> for mutual TLS). Null (the
    /// default): plaintext. Copied when the server is created; when no ALPN protocols are named, this protocol's id is.
    /// In-memory listeners cannot use TLS.
    /// </summary>
    public SslServerAuthenticationOptions? Tls { get; set; }

    /// <summary>
    /// The most connections the server keeps open at once, those still in their handshake included; one more is
    /// accepted and closed at once (counted in <see cref="RpcServer.RejectedConnections"/>). At least 1; default 10,000.
    /// </summary>
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>Server interceptors, the first registered outermost. Read when the server is created.</summary>
    public IList<IRpcServerInterceptor> Interceptors { get; } = new List<IRpcServerInterceptor>();

    /// <summary>
    /// Where the failure of a one-way call goes, since its client is not told: the method and the exception
    /// (an <see cref="OperationCanceledException"/> when the call was cancelled by a deadline or a shutdown).
    /// Null by default: the failure then goes only to <see cref="Logger"/> (<see cref="Diagnostics.RpcLogger.OneWayFailed"/>),
    /// which is called too when this is set. It must not throw (what it throws is ignored).
    /// </summary>
    public Action<RpcMethodDescriptor, Exception>? OnOneWayError { get; set; }

    /// <summary>
    /// Where the server reports connections opened and closed, GoAways, keepalive timeouts, limits, handler and
    /// one-way failures and registry failures. Null (the default): nothing is written anywhere. Rpc.Hosting sets it
    /// to a bridge to <c>ILogger</c>.
    /// </summary>
    public Diagnostics.RpcLogger? Logger { get; set; }

    /// <summary>
    /// How many bytes of each request stream may be in flight or buffered here before the client waits for the
    /// handler to consume them (the per-stream flow-control window). At least 64 KiB, the protocol's initial
    /// window; default 64 KiB.
    /// </summary>
    public int StreamWindowSize { get; set; } = Protocol.RpcFlowControl.InitialWindow;

    /// <summary>
    /// The largest metadata block, in bytes, the server accepts or sends (request headers; response headers or
    /// trailers). Default 16 KiB.
    /// </summary>
    public int MaxMetadataSize { get; set; } = Protocol.RpcMetadataCodec.DefaultMaxSize;

    /// <summary>
    /// The most calls (unary, one-way and streaming) one connection may have running at once. A request beyond it
    /// is answered with <see cref="RpcStatusCode.ResourceExhausted"/> without running its handler (a one-way
    /// request's rejection goes to <see cref="OnOneWayError"/>); the connection and its other calls go on, and the
    /// next request is accepted once a call has finished. It bounds what one client can make the server hold.
    /// Clients do not queue calls to stay under it, so it is set well above what a client keeps in flight on
    /// purpose (a <c>Task.WhenAll</c> over a few thousand calls). At least 1; default 10,000.
    /// </summary>
    public int MaxConcurrentCallsPerConnection { get; set; } = 10_000;

    /// <summary>
    /// How many bytes of frames the server queues for one connection behind a send the client is not taking (its
    /// socket is full because the client does not read) before it stops reading that connection's requests; it
    /// reads again as soon as that send completes. It bounds what a client that sends requests but never reads
    /// the responses can make the server hold: about this much, plus the responses to the requests of one read.
    /// Other connections are not affected. At least 64 KiB; default 1 MiB.
    /// </summary>
    public int MaxQueuedSendBytesPerConnection { get; set; } = 1024 * 1024;

    /// <summary>
    /// When true, every call gets an <see cref="RpcContext"/>. By default plain unary and one-way calls (no request
    /// headers, no deadline, no interceptors) get none, so that they allocate nothing for it.
    /// </summary>
    public bool AlwaysCreateContext { get; set; }

    /// <summary>
    /// After this long without reading anything from a client, the server sends it a Ping; a client that sends
    /// nothing at all within <see cref="KeepAliveTimeout"/> after it is closed (a dead or blackholed peer), and its
    /// calls are cancelled. <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> turns pings off. At least 10 ms;
    /// default 60 seconds.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the server waits for anything from a client after a keepalive Ping. At least 10 ms; default 20 seconds.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The shortest spacing between a client's Pings that the server tolerates: a Ping sooner than this after the
    /// previous one is a strike, and the third strike closes the connection with a GoAway
    /// (<see cref="RpcStatusCode.ResourceExhausted"/>, "too many pings"). A client's
    /// <see cref="RpcClientOptions.KeepAliveInterval"/> must not be below it. Positive; default 100 ms.
    /// </summary>
    public TimeSpan MinClientPingInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// A connection older than this (give or take 10%, so that clients do not all reconnect at once) is drained:
    /// GoAway, its calls in flight finish, then it closes and the client reconnects. It spreads long-lived clients
    /// over new servers. Null (the default) or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>: no limit.
    /// </summary>
    public TimeSpan? MaxConnectionAge { get; set; }

    /// <summary>
    /// A connection with no call in flight and none started for this long is closed with a GoAway; the client
    /// reconnects when it needs to. Null (the default) or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>: no limit.
    /// </summary>
    public TimeSpan? MaxConnectionIdle { get; set; }

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the first that is out of range.</summary>
    internal void Validate()
    {
        Protocol.RpcFlowControl.Validate(StreamWindowSize, nameof(StreamWindowSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxMetadataSize, nameof(MaxMetadataSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxFrameSize, nameof(MaxFrameSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxConcurrentCallsPerConnection, nameof(MaxConcurrentCallsPerConnection));
        // At least one stream's initial window: below it, a single server stream's items could pause reading often.
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxQueuedSendBytesPerConnection, Protocol.RpcFlowControl.InitialWindow, nameof(MaxQueuedSendBytesPerConnection));
        ArgumentNullException.ThrowIfNull(SerializerOptions, nameof(SerializerOptions));
        if (ShutdownTimeout < TimeSpan.Zero && ShutdownTimeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(ShutdownTimeout), ShutdownTimeout, "ShutdownTimeout must be zero or more, or Timeout.InfiniteTimeSpan.");
        }
        RpcOptionChecks.Positive(PrefaceTimeout, nameof(PrefaceTimeout));
        RpcOptionChecks.Positive(HandshakeTimeout, nameof(HandshakeTimeout));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxConnections, nameof(MaxConnections));
        if (Tls is { ServerCertificate: null, ServerCertificateContext: null, ServerCertificateSelectionCallback: null })
        {
            throw new ArgumentException("Tls needs a ServerCertificate, a ServerCertificateContext or a ServerCertificateSelectionCallback.", nameof(Tls));
        }
        RpcOptionChecks.KeepAlive(KeepAliveInterval, nameof(KeepAliveInterval));
        RpcOptionChecks.KeepAlive(KeepAliveTimeout, nameof(KeepAliveTimeout));
        RpcOptionChecks.Positive(MinClientPingInterval, nameof(MinClientPingInterval), allowInfinite: false);
        RpcOptionChecks.Optional(MaxConnectionAge, nameof(MaxConnectionAge));
        RpcOptionChecks.Optional(MaxConnectionIdle, nameof(MaxConnectionIdle));
    }
}
