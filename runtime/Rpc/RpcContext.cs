using System;
using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Server;

namespace Rpc;

/// <summary>
/// The server's view of the call being handled, available to handlers and interceptors as <see cref="Current"/>.
/// </summary>
/// <remarks>
/// To keep plain calls allocation-free, a context is made up front for a call when it carries request headers or a
/// deadline, for every streaming call, and for every call when <see cref="RpcServerOptions.Interceptors"/> is not
/// empty or <see cref="RpcServerOptions.AlwaysCreateContext"/> is set. A plain unary or one-way call gets one the
/// first time its handler's code reads <see cref="Current"/>, before or after any <c>await</c>: the handler runs in
/// an execution context of its pooled call (made once per pooled call, so switching to it allocates nothing), which
/// flows through its awaits. Work a handler leaves running after its call finished must not read it.
/// </remarks>
public sealed class RpcContext
{
    private static readonly AsyncLocal<RpcContext?> s_current = new();

    private RpcMetadata? _requestHeaders;
    private RpcMetadata? _responseHeaders;
    private RpcMetadata? _responseTrailers;
    private Dictionary<object, object?>? _items;
    private object? _result;
    private RpcServerCall? _call;
    private int _handlerStarted;
    private bool _responseHeadersClosed;

    internal RpcContext(RpcServerCall call, RpcMethodDescriptor method, EndPoint? peer, DateTimeOffset? deadline, RpcMetadata? requestHeaders)
    {
        _call = call;
        Method = method;
        Peer = peer;
        Deadline = deadline;
        CancellationToken = call.CancellationToken;
        _requestHeaders = requestHeaders;
    }

    /// <summary>The context of the call the current code runs for, or null outside a call.</summary>
    public static RpcContext? Current => s_current.Value ?? RpcServerCall.ContextOfRunningHandler();

    /// <summary>The method called: service, method name, id and kind.</summary>
    public RpcMethodDescriptor Method { get; }

    /// <summary>The client's address, when the transport has one.</summary>
    public EndPoint? Peer { get; }

    /// <summary>The certificate the client presented in a mutual TLS handshake; null without TLS or without one.</summary>
    public X509Certificate2? PeerCertificate { get; internal init; }

    /// <summary>
    /// Who the caller is, once an authenticating interceptor (such as <see cref="RpcBearerTokenInterceptor"/>) set
    /// it; null until then. Handlers and later interceptors read it to authorize.
    /// </summary>
    public ClaimsPrincipal? User { get; set; }

    /// <summary>When the client gives up on the call; <see cref="CancellationToken"/> fires then. Null without a deadline.</summary>
    public DateTimeOffset? Deadline { get; }

    /// <summary>Fires when the client cancels, the deadline passes, or the server shuts down or loses the connection.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The headers the client sent (empty when none).</summary>
    public RpcMetadata RequestHeaders => _requestHeaders ??= new RpcMetadata();

    /// <summary>
    /// Headers to send back before the first response item (or the response). Add them before then: once they are
    /// sent, adding more throws <see cref="InvalidOperationException"/>.
    /// </summary>
    public RpcMetadata ResponseHeaders
    {
        get
        {
            if (_responseHeaders is null)
            {
                _responseHeaders = new RpcMetadata();
                if (_responseHeadersClosed)
                {
                    _responseHeaders.MakeReadOnly(HeadersSentMessage);
                }
            }
            return _responseHeaders;
        }
    }

    /// <summary>Trailers sent with the call's final frame (its result, its error, or the end of its response stream).</summary>
    public RpcMetadata ResponseTrailers => _responseTrailers ??= new RpcMetadata();

    /// <summary>State shared by interceptors and the handler for this call.</summary>
    public IDictionary<object, object?> Items => _items ??= new Dictionary<object, object?>();

    /// <summary>
    /// The call's result, boxed, once the handler has returned (null for methods without one and for streaming
    /// calls). Populated only when interceptors are registered. An interceptor may replace it, or set it without
    /// calling <c>next</c> to answer the call itself.
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

    internal bool HasResult { get; private set; }

    /// <summary>The request headers without making an empty set: null when the client sent none.</summary>
    internal RpcMetadata? RequestHeadersIfAny => _requestHeaders;

    /// <summary>True when the call is traced or measured: it runs through the server's telemetry interceptor.</summary>
    internal bool Observed { get; set; }

    internal bool HandlerStarted => Volatile.Read(ref _handlerStarted) != 0;

    private string HeadersSentMessage => $"The response headers of {Method} were already sent (they go before the first response item, or with the result).";

    /// <summary>The response headers are being sent: returns them (null when none were set) and makes them read-only.</summary>
    internal RpcMetadata? CloseResponseHeaders()
    {
        _responseHeadersClosed = true;
        _responseHeaders?.MakeReadOnly(HeadersSentMessage);
        return _responseHeaders is { Count: > 0 } headers ? headers : null;
    }

    internal RpcMetadata? ResponseTrailersToSend => _responseTrailers is { Count: > 0 } trailers ? trailers : null;

    internal static void SetCurrent(RpcContext? context) => s_current.Value = context;

    /// <summary>The end of the interceptor chain: runs the handler once.</summary>
    internal ValueTask RunHandlerAsync()
    {
        if (Interlocked.Exchange(ref _handlerStarted, 1) != 0)
        {
            throw new InvalidOperationException($"The handler of {Method} was already run: an interceptor called next twice.");
        }
        RpcServerCall call = _call ?? throw new InvalidOperationException($"The call to {Method} has already finished.");
        return call.Method.InvokeHandlerAsync(call, this);
    }

    /// <summary>The call finished: a context kept by user code no longer reaches the pooled call.</summary>
    internal void Detach() => _call = null;

    /// <summary>Reads <see cref="Result"/> as <typeparamref name="TResult"/> for sending.</summary>
    internal TResult GetResult<TResult>()
    {
        if (!HasResult)
        {
            throw new RpcException(RpcStatusCode.Internal, $"An interceptor ended the call to {Method} without running the handler or setting a result.");
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
