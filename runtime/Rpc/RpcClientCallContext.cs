using System;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Client;
using Rpc.Protocol;
using Rpc.Serialization;

namespace Rpc;

/// <summary>
/// One call as client interceptors see it. Before <c>next</c>, the request's headers and deadline can be changed;
/// after it, the response headers, trailers and result can be read.
/// </summary>
public sealed class RpcClientCallContext
{
    // Timers take at most about 49 days; a deadline further out than that is left to the server.
    private static readonly TimeSpan s_maxTimerDue = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private static readonly TimerCallback s_onDeadline = static state =>
    {
        var context = (RpcClientCallContext)state!;
        if (context.StreamCall is { } stream)
        {
            stream.OnDeadline();
        }
        else
        {
            // Not on a connection (waiting for one, or between retries): the waiter sees the deadline itself.
            context.DeadlinePassed = true;
            context.Connection?.OnUnaryDeadline(context);
        }
    };

    private readonly RpcMetadata? _sharedHeaders;
    private RpcMetadata? _ownHeaders;
    private object? _result;
    private Func<RpcClientCallContext, object, ValueTask>? _send;
    private object? _sendState;
    private int _sent;

    internal RpcClientCallContext(RpcMethodDescriptor method, RpcCallOptions? options, DateTimeOffset? deadline, CancellationToken cancellationToken, Client.RpcClientInterceptorPipeline? pipeline = null)
    {
        Pipeline = pipeline;
        Method = method;
        CallOptions = options;
        _sharedHeaders = options?.Headers;
        Deadline = deadline;
        CancellationToken = cancellationToken;
    }

    /// <summary>The method called: service, method name, id and kind.</summary>
    public RpcMethodDescriptor Method { get; }

    /// <summary>
    /// The headers to send: those of the current <see cref="RpcCallOptions"/> (copied on first access, so changes
    /// here do not leak into the options) plus whatever interceptors add.
    /// </summary>
    public RpcMetadata RequestHeaders => _ownHeaders ??= _sharedHeaders?.Clone() ?? new RpcMetadata();

    /// <summary>When the call must finish; null for none. An interceptor may change it before calling <c>next</c>.</summary>
    public DateTimeOffset? Deadline { get; set; }

    /// <summary>The token the caller passed for the call.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The response headers, once they arrived; null when the server sent none.</summary>
    public RpcMetadata? ResponseHeaders { get; internal set; }

    /// <summary>The response trailers, once the call completed; null when the server sent none.</summary>
    public RpcMetadata? ResponseTrailers { get; internal set; }

    /// <summary>
    /// The call's result, boxed, after <c>next</c> completed (unary and client-streaming calls with a result). An
    /// interceptor may replace it, or set it without calling <c>next</c> to answer the call itself (a cache).
    /// </summary>
    public object? Result
    {
        get => _result;
        set
        {
            _result = value;
            HasResult = true;
        }
    }

    /// <summary>The connection the call is on now; null before it is sent and while a retry waits.</summary>
    internal RpcClientConnection? Connection { get; set; }

    internal RpcCallOptions? CallOptions { get; }

    /// <summary>The interceptors this call runs through: the client's, behind the telemetry interceptor when the call is observed; null for none.</summary>
    internal Client.RpcClientInterceptorPipeline? Pipeline { get; }

    internal RpcMetadata? HeadersToSend => _ownHeaders ?? _sharedHeaders;

    internal bool HasResult { get; private set; }

    internal bool WasSent => Volatile.Read(ref _sent) != 0;

    /// <summary>The call id on the wire once the call started; 0 before.</summary>
    internal uint CallId { get; set; }

    /// <summary>Set when the deadline timer fired before the call was in the connection's table.</summary>
    internal bool DeadlinePassed { get; set; }

    internal ITimer? DeadlineTimer { get; set; }

    /// <summary>The streaming call this context belongs to; null for unary and one-way calls (their pooled call is found by <see cref="CallId"/>).</summary>
    internal RpcClientStreamCall? StreamCall { get; set; }

    internal void SetSend(Func<RpcClientCallContext, object, ValueTask> send, object state)
    {
        _send = send;
        _sendState = state;
    }

    /// <summary>The end of the interceptor chain: sends the call once.</summary>
    internal ValueTask SendAsync()
    {
        if (Interlocked.Exchange(ref _sent, 1) != 0)
        {
            throw new InvalidOperationException($"The call to {Method} was already sent: an interceptor called next twice.");
        }
        return _send!(this, _sendState!);
    }

    /// <summary>
    /// Puts the deadline and the request headers in front of the arguments in <paramref name="request"/> and adds
    /// the flags announcing them. Returns why the call cannot be sent (its deadline passed, headers over the limit);
    /// <paramref name="timeout"/> is the time left, for the deadline timer.
    /// </summary>
    internal RpcException? WritePrefix(RpcFrameBuffer request, RpcSerializerOptions options, int maxMetadataSize, ref RpcFrameFlags flags, out TimeSpan? timeout)
    {
        timeout = null;
        if (Deadline is { } deadline)
        {
            TimeSpan remaining = deadline - DateTimeOffset.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                return RpcClientConnection.CreateDeadlineExceeded(Method);
            }
            timeout = remaining;
        }
        RpcMetadata? headers = HeadersToSend;
        if (timeout is null && headers is not { Count: > 0 })
        {
            return null;
        }
        var prefix = new RpcFrameBuffer();
        try
        {
            flags |= RpcRequestPrefix.Write(prefix, timeout, headers, options, maxMetadataSize);
            request.InsertAtStart(prefix.WrittenPayload);
            return null;
        }
        catch (RpcException ex)
        {
            return ex;
        }
        catch (RpcSerializationException ex)
        {
            return new RpcException(RpcStatusCode.InvalidArgument, $"The request headers of {Method} could not be written: {ex.Message}", ex);
        }
        finally
        {
            prefix.Clear();
        }
    }

    /// <summary>Starts the deadline timer; when it fires, the call fails with <see cref="RpcStatusCode.DeadlineExceeded"/> and is cancelled on the server.</summary>
    internal void ArmDeadline(TimeSpan due)
    {
        if (due < s_maxTimerDue)
        {
            DeadlineTimer = TimeProvider.System.CreateTimer(s_onDeadline, this, due, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Copies the response metadata to the <see cref="RpcCallOptions"/> scope the call started in.</summary>
    internal void Publish()
    {
        DeadlineTimer?.Dispose();
        DeadlineTimer = null;
        if (CallOptions is { } options)
        {
            options.ResponseHeaders = ResponseHeaders;
            options.ResponseTrailers = ResponseTrailers;
        }
    }

    internal TResult GetResult<TResult>()
    {
        if (typeof(TResult) == typeof(RpcVoid))
        {
            return default!;
        }
        if (!HasResult)
        {
            throw new RpcException(RpcStatusCode.Internal, $"An interceptor completed the call to {Method} without calling next or setting a result.");
        }
        if (_result is TResult result)
        {
            return result;
        }
        if (_result is null && default(TResult) is null)
        {
            return default!;
        }
        throw new RpcException(RpcStatusCode.Internal, $"The result of {Method} was set to a {_result?.GetType().Name ?? "null"}, not a {typeof(TResult).Name}.");
    }
}
