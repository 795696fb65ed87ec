using System;
using System.Collections.Generic;
using System.Net.Security;
using System.Threading.Tasks;
using Rpc.Serialization;

namespace Rpc;

/// <summary>Options for <see cref="RpcClient"/>, read and validated when it connects.</summary>
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

    /// <summary>
    /// How long the client waits before its first reconnect attempt after a failed one; each later wait is
    /// <see cref="ReconnectBackoffMultiplier"/> times longer, up to <see cref="MaxReconnectDelay"/>, spread by
    /// +-<see cref="ReconnectJitter"/>. A connection that drops after a successful handshake is reconnected at once.
    /// Positive; default 1 second (gRPC's connection backoff).
    /// </summary>
    public TimeSpan InitialReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between reconnect attempts. At least <see cref="InitialReconnectDelay"/>; default 120 seconds.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>How much the wait grows per failed attempt. At least 1; default 1.6.</summary>
    public double ReconnectBackoffMultiplier { get; set; } = 1.6;

    /// <summary>The random spread of every wait, as a fraction: 0 to 1; default 0.2 (+-20%).</summary>
    public double ReconnectJitter { get; set; } = 0.2;

    /// <summary>
    /// After this long without reading anything from the server, the client sends a Ping; see
    /// <see cref="KeepAliveTimeout"/>. <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> turns pings off.
    /// Positive (at least 10 ms); default 30 seconds. Keep it above the server's
    /// <see cref="RpcServerOptions.MinClientPingInterval"/>, or the server closes the connection for pinging too often.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the client waits, after a keepalive Ping, for anything at all from the server before it declares the
    /// connection dead: pending calls fail with <see cref="RpcStatusCode.Unavailable"/> and the client reconnects.
    /// Positive (at least 10 ms); default 10 seconds.
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How calls to methods marked <see cref="RpcIdempotentAttribute"/> are retried after failures that may have
    /// happened once the server had the request. Default: 3 attempts on <see cref="RpcStatusCode.Unavailable"/>
    /// (see <see cref="RpcRetryPolicy"/>); null turns policy retries off. Other methods are never sent twice.
    /// </summary>
    public RpcRetryPolicy? RetryPolicy { get; set; } = new();

    /// <summary>
    /// How a client of a service (<see cref="RpcClient.ConnectAsync(string, Discovery.IRpcServiceRegistry, RpcClientOptions?, System.Threading.CancellationToken)"/>)
    /// spreads calls over the Ready instances. Default <see cref="RpcLoadBalancer.PowerOfTwoChoices"/>.
    /// </summary>
    public RpcLoadBalancer LoadBalancer { get; set; } = RpcLoadBalancer.PowerOfTwoChoices;

    /// <summary>
    /// A new instance's weight ramps up from a tenth to its full value over this window after its connection
    /// becomes Ready (slow start), so that a cold instance is not flooded. Zero turns it off; default 10 seconds.
    /// </summary>
    public TimeSpan SlowStartWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// TLS for every connection (the BCL's own options: <see cref="SslClientAuthenticationOptions.TargetHost"/>,
    /// <see cref="SslClientAuthenticationOptions.ClientCertificates"/> for mutual TLS,
    /// <see cref="SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/>, ...). Null (the default):
    /// plaintext. When <see cref="SslClientAuthenticationOptions.TargetHost"/> is null, the endpoint's host is
    /// used; when no ALPN protocols are named, this protocol's id is. The object is copied per connection, never changed.
    /// </summary>
    public SslClientAuthenticationOptions? Tls { get; set; }

    /// <summary>
    /// Runs before every call is sent and adds its credentials to the request headers (a bearer token, an API key);
    /// the context names the method. It runs innermost, after <see cref="Interceptors"/>. Over a plaintext connection
    /// every call fails with <see cref="InvalidOperationException"/> and nothing is sent, unless
    /// <see cref="AllowInsecureCallCredentials"/>.
    /// </summary>
    public Func<RpcCallCredentialsContext, RpcMetadata, ValueTask>? CallCredentials { get; set; }

    /// <summary>Lets <see cref="CallCredentials"/> travel over a plaintext connection (a trusted network, tests). Default false.</summary>
    public bool AllowInsecureCallCredentials { get; set; }

    /// <summary>
    /// Where the client reports its connections opened and closed, GoAways, keepalive timeouts and reconnect
    /// attempts and failures. Null (the default): nothing is written anywhere. Rpc.Hosting sets it to a bridge to
    /// <c>ILogger</c>.
    /// </summary>
    public Diagnostics.RpcLogger? Logger { get; set; }

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the first that is out of range.</summary>
    internal void Validate()
    {
        Protocol.RpcFlowControl.Validate(StreamWindowSize, nameof(StreamWindowSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxMetadataSize, nameof(MaxMetadataSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxFrameSize, nameof(MaxFrameSize));
        ArgumentNullException.ThrowIfNull(SerializerOptions, nameof(SerializerOptions));
        RpcOptionChecks.Positive(ConnectTimeout, nameof(ConnectTimeout));
        if (DefaultTimeout is { } timeout && timeout != System.Threading.Timeout.InfiniteTimeSpan && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultTimeout), timeout, "DefaultTimeout must be positive, infinite or null.");
        }
        RpcOptionChecks.Positive(InitialReconnectDelay, nameof(InitialReconnectDelay), allowInfinite: false);
        RpcOptionChecks.Positive(MaxReconnectDelay, nameof(MaxReconnectDelay), allowInfinite: false);
        if (MaxReconnectDelay < InitialReconnectDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxReconnectDelay), MaxReconnectDelay, $"MaxReconnectDelay must be at least InitialReconnectDelay ({InitialReconnectDelay}).");
        }
        if (!(ReconnectBackoffMultiplier >= 1) || double.IsInfinity(ReconnectBackoffMultiplier))
        {
            throw new ArgumentOutOfRangeException(nameof(ReconnectBackoffMultiplier), ReconnectBackoffMultiplier, "ReconnectBackoffMultiplier must be a finite number of at least 1.");
        }
        if (!(ReconnectJitter >= 0 && ReconnectJitter <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ReconnectJitter), ReconnectJitter, "ReconnectJitter must be between 0 and 1.");
        }
        RpcOptionChecks.KeepAlive(KeepAliveInterval, nameof(KeepAliveInterval));
        RpcOptionChecks.KeepAlive(KeepAliveTimeout, nameof(KeepAliveTimeout));
        ArgumentNullException.ThrowIfNull(LoadBalancer, nameof(LoadBalancer));
        if (SlowStartWindow < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(SlowStartWindow), SlowStartWindow, "SlowStartWindow must be zero (off) or positive.");
        }
    }
}
