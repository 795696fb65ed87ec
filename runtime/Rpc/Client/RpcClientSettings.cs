using System;
using System.Collections.Generic;
using System.Threading;
using Rpc.Protocol;
using Rpc.Serialization;

namespace Rpc.Client;

/// <summary>
/// What every connection and call of one client shares, read once from <see cref="RpcClientOptions"/> when the
/// client is created: a client's reconnects and a balancer's many connections all use the same values.
/// </summary>
internal sealed class RpcClientSettings
{
    public RpcClientSettings(RpcClientOptions options)
    {
        Options = options;
        MaxFrameSize = options.MaxFrameSize;
        SerializerOptions = options.SerializerOptions;
        DefaultTimeout = options.DefaultTimeout;
        StreamWindowSize = options.StreamWindowSize;
        MaxMetadataSize = options.MaxMetadataSize;
        Tls = options.Tls;
        var interceptors = new List<IRpcClientInterceptor>(options.Interceptors);
        if (options.CallCredentials is { } credentials)
        {
            // Innermost: the headers are added last, right before the call is sent, whatever other interceptors do.
            interceptors.Add(new RpcCallCredentialsInterceptor(credentials, secure: Tls is not null, options.AllowInsecureCallCredentials));
        }
        if (interceptors.Count > 0)
        {
            Interceptors = new RpcClientInterceptorPipeline(interceptors);
        }
        EveryCallNeedsContext = DefaultTimeout is not null || Interceptors is not null;
        var observed = new System.Collections.Generic.List<IRpcClientInterceptor>(options.Interceptors.Count + 1) { Diagnostics.RpcClientTelemetry.Instance };
        observed.AddRange(options.Interceptors);
        ObservedInterceptors = new RpcClientInterceptorPipeline(observed);
        RetryPolicy = options.RetryPolicy;
        if (RetryPolicy is not null)
        {
            RetryBudget = new RpcRetryBudget(RetryPolicy.BudgetMaxTokens, RetryPolicy.BudgetTokenRatio);
        }
        KeepAlive = new RpcKeepAliveSettings(options.KeepAliveInterval, options.KeepAliveTimeout);
        Backoff = new RpcConnectionBackoff(options.InitialReconnectDelay, options.MaxReconnectDelay, options.ReconnectBackoffMultiplier, options.ReconnectJitter);
    }

    public RpcClientOptions Options { get; }

    /// <summary>TLS for every connection; null for plaintext.</summary>
    public System.Net.Security.SslClientAuthenticationOptions? Tls { get; }

    public int MaxFrameSize { get; }

    public RpcSerializerOptions SerializerOptions { get; }

    public TimeSpan? DefaultTimeout { get; }

    public int StreamWindowSize { get; }

    public int MaxMetadataSize { get; }

    /// <summary>The client interceptors; null when none are registered.</summary>
    public RpcClientInterceptorPipeline? Interceptors { get; }

    /// <summary>The chain of observed calls: the telemetry interceptor outermost, then the client's.</summary>
    public RpcClientInterceptorPipeline ObservedInterceptors { get; }

    /// <summary>True when every call needs a <see cref="RpcClientCallContext"/> (a default timeout, interceptors).</summary>
    public bool EveryCallNeedsContext { get; }

    /// <summary>Retries of idempotent methods; null for none.</summary>
    public RpcRetryPolicy? RetryPolicy { get; }

    /// <summary>The client's retry throttle; null without a <see cref="RetryPolicy"/>.</summary>
    public RpcRetryBudget? RetryBudget { get; }

    public RpcKeepAliveSettings KeepAlive { get; }

    public RpcConnectionBackoff Backoff { get; }

    /// <summary>Creates the per-call state of a call that needs more than the plain path (options, deadline, interceptors).</summary>
    public RpcClientCallContext CreateContext(RpcMethodDescriptor method, RpcCallOptions? options, CancellationToken cancellationToken, bool observed = false) =>
        new(method, options, ComputeDeadline(options, DefaultTimeout), cancellationToken, observed ? ObservedInterceptors : Interceptors);

    private static DateTimeOffset? ComputeDeadline(RpcCallOptions? options, TimeSpan? defaultTimeout)
    {
        DateTimeOffset? deadline = options?.Deadline;
        TimeSpan? timeout = options?.Timeout ?? (deadline is null ? defaultTimeout : null);
        if (timeout is { } value && value != Timeout.InfiniteTimeSpan)
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            // A timeout too long to add to the clock is no deadline at all.
            if (value < DateTimeOffset.MaxValue - now)
            {
                DateTimeOffset byTimeout = now + (value < TimeSpan.Zero ? TimeSpan.Zero : value);
                deadline = deadline is null || byTimeout < deadline ? byTimeout : deadline;
            }
        }
        return deadline;
    }
}
