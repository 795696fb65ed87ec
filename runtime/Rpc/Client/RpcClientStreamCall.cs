using System;
using System.Buffers;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Protocol;
using Rpc.Serialization;

namespace Rpc.Client;

/// <summary>
/// One streaming call on the client (server, client or duplex streaming): the request, the receiver of the
/// response stream, the flow-control credit of the request stream, and the call's single completion, whichever
/// way it comes (the server's StreamEnd, Response or Error; a cancellation; the deadline; the connection).
/// </summary>
internal sealed class RpcClientStreamCall
{
    /// <summary>The end of the interceptor chain of a streaming call: send, then wait for the call to complete.</summary>
    public static readonly Func<RpcClientCallContext, object, ValueTask> SendAndWait = static async (context, state) =>
    {
        var stream = (RpcClientStreamCall)state;
        stream.Send();
        await stream._completion.Task.ConfigureAwait(false);
    };

    private static readonly Action<object?> s_onCancelled = static state =>
        ((RpcClientStreamCall)state!).Cancel(RpcOutgoingCall.CreateCancelled());

    private readonly RpcConnectionSource _subchannel;
    private readonly RpcClientSettings _settings;
    // The connection the stream runs on: chosen when the call is created if one is Ready, else when it starts.
    private RpcClientConnection? _connection;
    private readonly CancellationToken _callToken;
    private readonly RpcRequestPump? _pump;
    private readonly CancellationTokenSource? _requestsCancellation;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationToken _enumeratorToken;
    private CancellationTokenRegistration _callRegistration;
    private CancellationTokenRegistration _enumeratorRegistration;
    private byte[]? _result;
    private int _resultLength;
    private int _completed;
    private bool _abandoned;
    private readonly string? _hashKey;

    public RpcClientStreamCall(RpcConnectionSource subchannel, RpcClientSettings settings, RpcMethodDescriptor method, RpcSerializerOptions options, CancellationToken callToken, RpcClientCallContext? context, RpcRequestPump? pump, bool receivesStream, string? hashKey)
    {
        _hashKey = hashKey;
        _subchannel = subchannel;
        _settings = settings;
        Method = method;
        SerializerOptions = options;
        _callToken = callToken;
        Context = context;
        _pump = pump;
        if (receivesStream)
        {
            Responses = new RpcStreamReceiver(null, settings.StreamWindowSize);
        }
        if (pump is not null)
        {
            _requestsCancellation = new CancellationTokenSource();
        }
        if (context is not null)
        {
            context.StreamCall = this;
        }
        if (subchannel.Pick(context, hashKey) is { } connection)
        {
            Attach(connection);
        }
    }

    private void Attach(RpcClientConnection connection)
    {
        _connection = connection;
        Responses?.Attach(connection);
        if (_pump is not null)
        {
            RequestWindow = new RpcStreamSender(connection.FlowStatistics);
        }
    }

    public RpcMethodDescriptor Method { get; }

    public RpcSerializerOptions SerializerOptions { get; }

    public RpcClientCallContext? Context { get; }

    public RpcClientConnection Connection => _connection!;

    /// <summary>The request frame being built; sent by <see cref="Send"/>.</summary>
    public RpcFrameBuffer Request { get; } = new();

    /// <summary>The call id on the wire; written and read under the connection's lock.</summary>
    public uint CallId { get; set; }

    /// <summary>The response stream (server and duplex streaming); null for client streaming.</summary>
    public RpcStreamReceiver? Responses { get; }

    /// <summary>The request stream's credit (client and duplex streaming); null for server streaming.</summary>
    public RpcStreamSender? RequestWindow { get; private set; }

    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    public bool IsCancellationRequested => _callToken.IsCancellationRequested || _enumeratorToken.IsCancellationRequested;

    /// <summary>
    /// Starts the call, through the interceptors when there are any (then the returned task is the chain's, which
    /// completes after the call); <paramref name="terminal"/> is the chain's end.
    /// </summary>
    public Task? Begin(CancellationToken enumeratorToken, Func<RpcClientCallContext, object, ValueTask> terminal)
    {
        _enumeratorToken = enumeratorToken;
        if (_connection is null)
        {
            return BeginWhenReadyAsync(terminal);
        }
        if (Context is { Pipeline: { } interceptors } context)
        {
            return RunInterceptorsAsync(interceptors, context, terminal);
        }
        Send();
        return null;
    }

    // No connection was Ready when the call was made: waits for one as a unary call would (queued while
    // connecting, failing fast otherwise unless it waits for ready), then runs the call to its end, so that the
    // returned task carries the call's outcome like an interceptor chain's.
    private async Task BeginWhenReadyAsync(Func<RpcClientCallContext, object, ValueTask> terminal)
    {
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(_callToken, _enumeratorToken);
            Attach(await _subchannel.WaitForReadyAsync(Context, _hashKey, Method, linked.Token).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            Exception failure = ex is OperationCanceledException ? RpcOutgoingCall.CreateCancelled() : ex;
            Request.Clear();
            Complete(failure, sendCancel: false, abort: true);
            throw failure;
        }
        if (Volatile.Read(ref _abandoned))
        {
            // The consumer left while the call waited for a connection: it never starts.
            Request.Clear();
            Complete(null, sendCancel: false, abort: true);
            return;
        }
        Task? chain = Begin(_enumeratorToken, terminal);
        await (chain ?? _completion.Task).ConfigureAwait(false);
    }

    private async Task RunInterceptorsAsync(RpcClientInterceptorPipeline interceptors, RpcClientCallContext context, Func<RpcClientCallContext, object, ValueTask> terminal)
    {
        context.SetSend(terminal, this);
        try
        {
            await interceptors.RunAsync(context).ConfigureAwait(false);
        }
        finally
        {
            // Short-circuited: nothing was sent; the stream ends empty, and the chain's exception (if any) is what
            // the consumer sees.
            if (!context.WasSent)
            {
                Request.Clear();
                Complete(null, sendCancel: false, abort: true);
            }
        }
    }

    /// <summary>Runs a client-streaming call to its result.</summary>
    public async ValueTask<TResult> RunClientStreamingAsync<TResult>()
    {
        if (_connection is null)
        {
            await Begin(default, SendAndWait)!.ConfigureAwait(false);
        }
        Task? chain = _connection is null ? null : Begin(default, static async (context, state) =>
        {
            var stream = (RpcClientStreamCall)state;
            stream.Send();
            await stream._completion.Task.ConfigureAwait(false);
            if (typeof(TResult) != typeof(RpcVoid))
            {
                context.Result = stream.ReadResult<TResult>();
            }
        });
        if (chain is not null)
        {
            await chain.ConfigureAwait(false);
            return Context!.GetResult<TResult>();
        }
        await _completion.Task.ConfigureAwait(false);
        return ReadResult<TResult>();
    }

    public async ValueTask RunClientStreamingVoidAsync() => await RunClientStreamingAsync<RpcVoid>().ConfigureAwait(false);

    private void Send()
    {
        RpcClientConnection connection = _connection!;
        RpcException? failure = RpcRequestPreparation.Prepare(Request, Context, Method, _settings, SerializerOptions, armDeadline: true, out RpcFrameFlags flags);
        if (failure is null)
        {
            if (_callToken.CanBeCanceled)
            {
                _callRegistration = _callToken.UnsafeRegister(s_onCancelled, this);
            }
            if (_enumeratorToken.CanBeCanceled)
            {
                _enumeratorRegistration = _enumeratorToken.UnsafeRegister(s_onCancelled, this);
            }
            failure = connection.TryStartStream(this, flags);
        }
        if (failure is not null)
        {
            Request.Clear();
            Complete(failure, sendCancel: false, abort: true);
            return;
        }
        if (Responses is not null && connection.StreamWindowSize > RpcFlowControl.InitialWindow)
        {
            connection.TryEnqueue(RpcControlFrames.CreateWindowUpdate(CallId, (uint)(connection.StreamWindowSize - RpcFlowControl.InitialWindow)));
        }
        if (_pump is not null)
        {
            _ = _pump.RunAsync(this, _requestsCancellation!.Token);
        }
    }

    /// <summary>Sends the end of the request stream.</summary>
    public void EndRequests()
    {
        if (!IsCompleted)
        {
            _connection?.TryEnqueue(RpcControlFrames.CreateEmpty(RpcFrameType.StreamEnd, CallId, 0, RpcFrameFlags.EndOfStream));
        }
    }

    /// <summary>Cancels the call (its token fired, or its consumer left): the server is told, the consumer sees <paramref name="reason"/>.</summary>
    public void Cancel(Exception reason)
    {
        if (_connection?.TryRemoveStream(this) == true)
        {
            Complete(reason, sendCancel: true, abort: true);
        }
    }

    /// <summary>The deadline timer fired.</summary>
    public void OnDeadline()
    {
        if (_connection?.TryExpireStream(this) == true)
        {
            Complete(RpcClientConnection.CreateDeadlineExceeded(Method), sendCancel: true, abort: true);
        }
    }

    /// <summary>The request stream failed (its enumerable threw, an item could not be sent): the call fails with that.</summary>
    public void FailFromRequests(Exception exception) => Cancel(exception);

    /// <summary>The consumer is done, whether or not the stream ended: cancel the call if it is still running, free what is buffered.</summary>
    public void Abandon()
    {
        var reason = new RpcException(RpcStatusCode.Cancelled, "The stream was disposed before it ended.");
        Volatile.Write(ref _abandoned, true);
        Cancel(reason);
        Responses?.Abort(reason);
    }

    /// <summary>A StreamItem arrived (on the read loop).</summary>
    public void OnItem(ReadOnlySpan<byte> payload)
    {
        if (Responses is null)
        {
            FailByProtocol($"The server sent a StreamItem for {Method}, which has no response stream.");
        }
        Responses.Add(payload);
    }

    /// <summary>The server ended the stream and the call (on the read loop, after removal from the table).</summary>
    public void OnStreamEnd(RpcFrameFlags flags, ReadOnlySpan<byte> payload)
    {
        if (Responses is null)
        {
            FailByProtocol($"The server sent a StreamEnd for {Method}, which ends with a Response.");
        }
        Complete(ReadTrailers(flags, payload, out _), sendCancel: false, abort: false);
    }

    /// <summary>The server's result for a client-streaming call (on the read loop, after removal from the table).</summary>
    public void OnResponse(RpcFrameFlags flags, ReadOnlySpan<byte> payload)
    {
        if (Responses is not null)
        {
            FailByProtocol($"The server sent a Response for {Method}, whose response stream ends with StreamEnd.");
        }
        RpcException? failure = ReadTrailers(flags, payload, out int consumed);
        if (failure is null)
        {
            payload = payload.Slice(consumed);
            byte[] copy = RpcBufferPool.Rent(Math.Max(payload.Length, 1));
            payload.CopyTo(copy);
            _result = copy;
            _resultLength = payload.Length;
        }
        Complete(failure, sendCancel: false, abort: false);
    }

    /// <summary>The server failed the call (after removal from the table): the consumer takes the items that arrived, then sees <paramref name="error"/>.</summary>
    public void OnError(RpcException error) => Complete(error, sendCancel: false, abort: false);

    /// <summary>Unreadable response headers (after removal from the table).</summary>
    public void FailFromHeaders(RpcException error) => Complete(error, sendCancel: true, abort: true);

    public void OnHeaders(RpcMetadata headers)
    {
        if (Context is { } context)
        {
            context.ResponseHeaders = headers;
        }
    }

    public void OnWindowUpdate(uint increment)
    {
        if (RequestWindow is not null && !RequestWindow.TryAddCredit(increment))
        {
            FailByProtocol($"The server granted more than {RpcFlowControl.MaxCredit} bytes of credit to a request stream of {Method}.");
        }
    }

    /// <summary>The connection failed or the server went away.</summary>
    public void OnConnectionFailed(RpcException error) => Complete(error, sendCancel: false, abort: true);

    /// <summary>
    /// The stream's connection closed under it. A drop (<see cref="RpcStatusCode.Unavailable"/>) counts against the
    /// connection's instance for outlier ejection, as a unary call's does; streams are never retried.
    /// </summary>
    public void OnConnectionClosed(RpcClientConnection connection, RpcException error)
    {
        if (error.StatusCode == RpcStatusCode.Unavailable)
        {
            _subchannel.OnTransportFailure(connection);
        }
        OnConnectionFailed(error);
    }

    /// <summary>Reads the result of a client-streaming call that completed.</summary>
    public TResult ReadResult<TResult>()
    {
        if (typeof(TResult) == typeof(RpcVoid))
        {
            return default!;
        }
        byte[] result = _result ?? throw new RpcException(RpcStatusCode.Internal, $"The call to {Method} completed without a result.");
        try
        {
            var reader = new RpcReader(result.AsSpan(0, _resultLength), SerializerOptions);
            return reader.ReadValue<TResult>()!;
        }
        catch (Exception ex)
        {
            throw new RpcException(RpcStatusCode.Internal, $"The response could not be read as {typeof(TResult).Name}: {ex.Message}", ex);
        }
        finally
        {
            _result = null;
            RpcBufferPool.Return(result);
        }
    }

    /// <summary>A StreamEnd must carry EndOfStream.</summary>
    public static void CheckEndOfStream(RpcFrameFlags flags)
    {
        if ((flags & RpcFrameFlags.EndOfStream) == 0)
        {
            throw new RpcProtocolException(RpcStatusCode.Internal, "A StreamEnd frame must carry the EndOfStream flag.");
        }
    }

    private RpcException? ReadTrailers(RpcFrameFlags flags, ReadOnlySpan<byte> payload, out int consumed)
    {
        consumed = 0;
        if ((flags & RpcFrameFlags.HasMetadata) == 0)
        {
            return null;
        }
        try
        {
            RpcMetadata trailers = RpcMetadataCodec.Read(payload, SerializerOptions, _settings.MaxMetadataSize, out consumed);
            if (Context is { } context)
            {
                context.ResponseTrailers = trailers;
            }
            return null;
        }
        catch (Exception ex) when (ex is RpcSerializationException or RpcException)
        {
            return new RpcException(ex is RpcException rpc ? rpc.StatusCode : RpcStatusCode.Internal, "The server sent unreadable trailers: " + ex.Message, ex);
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void FailByProtocol(string message)
    {
        // The stream may be out of the table already: fail it here, or its consumer would wait forever.
        _connection?.TryRemoveStream(this);
        Complete(new RpcException(RpcStatusCode.Internal, message), sendCancel: false, abort: true);
        throw new RpcProtocolException(RpcStatusCode.Internal, message);
    }

    private void Complete(Exception? error, bool sendCancel, bool abort)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return;
        }
        _callRegistration.Unregister();
        _enumeratorRegistration.Unregister();
        if (sendCancel && CallId != 0)
        {
            _connection?.SendCancel(CallId);
        }
        if (Responses is not null)
        {
            if (abort && error is not null)
            {
                Responses.Abort(error);
            }
            else
            {
                Responses.Complete(error);
            }
        }
        // Stops the request stream; callbacks run on the thread pool, never on the read loop.
        _ = _requestsCancellation?.CancelAsync();
        if (Context is { } context)
        {
            if (error is RpcException { Trailers: { } trailers })
            {
                context.ResponseTrailers = trailers;
            }
            context.Publish();
        }
        if (error is null)
        {
            _completion.TrySetResult();
        }
        else
        {
            _completion.TrySetException(error);
            // Observed here: a server stream without interceptors reports its error through the receiver instead.
            _ = _completion.Task.Exception;
        }
    }
}
