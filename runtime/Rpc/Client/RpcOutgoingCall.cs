using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Protocol;
using Rpc.Serialization;

namespace Rpc.Client;

/// <summary>
/// One call on its way out, as a generated proxy drives it: <see cref="IRpcCallInvoker.StartCall"/>, write the
/// arguments with <see cref="CreateArgumentWriter"/>, then exactly one of <see cref="InvokeAsync{TResult}"/>,
/// <see cref="InvokeAsync()"/>, <see cref="SendOneWayAsync"/>, <see cref="InvokeServerStreaming{TResponse}"/>,
/// <see cref="InvokeClientStreamingAsync{TRequest, TResult}"/>, <see cref="InvokeClientStreamingAsync{TRequest}"/>,
/// <see cref="InvokeDuplexStreaming{TRequest, TResponse}"/> or <see cref="Abandon"/>. Instances are pooled: after
/// that last step the object belongs to the runtime again and must not be touched.
/// </summary>
/// <remarks>
/// A pooled call keeps the value-task source of its last unary result, and a call with a result goes back to the
/// pool only when its awaiter has taken the result: the next call with the same result type then rents one object,
/// not two (both were popped from and pushed to per-thread stacks on every call, on the client's busiest thread).
/// </remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class RpcOutgoingCall
{
    private static readonly RpcObjectPool<RpcOutgoingCall> s_pool = new(RpcObjectPool.CallCapacity, perThreadCache: true);
    private static readonly Action<object?> s_onCancelled = OnCancelled;

    private readonly RpcFrameBuffer _request = new();
    private RpcConnectionSource? _subchannel;
    private RpcClientSettings? _settings;
    // The connection the call was last sent on; null until then, and while a retry waits.
    private RpcClientConnection? _connection;
    // The connection the last failed attempt went to: a retry goes to another instance when one is Ready.
    private RpcClientConnection? _failedOn;
    private RpcFrameFlags _flags;
    // Attempts made (policy retries count, the one transparent retry does not), and whether the request is kept.
    private int _attempts;
    private bool _transparentRetryUsed;
    private bool _requestKept;
    private RpcMethodDescriptor? _method;
    private RpcSerializerOptions _options = RpcSerializerOptions.Default;
    private CancellationToken _cancellationToken;
    private CancellationTokenRegistration _registration;

    // The value-task source of this call's result, kept across reuses (see the remarks); in flight from Send until
    // the response or failure releases the call.
    private RpcResponseSource? _source;

    // Only for calls with options, a deadline or interceptors: plain calls carry none of it.
    private RpcClientCallContext? _context;

    private RpcOutgoingCall()
    {
    }

    /// <summary>The call id on the wire; written and read under the connection's lock.</summary>
    internal uint CallId { get; set; }

    internal RpcMethodDescriptor Method => _method!;

    internal RpcClientCallContext? Context => _context;

    internal static RpcOutgoingCall Rent(RpcConnectionSource subchannel, RpcClientSettings settings, RpcMethodDescriptor method, CancellationToken cancellationToken, RpcClientCallContext? context)
    {
        RpcOutgoingCall call = s_pool.TryRent() ?? new RpcOutgoingCall();
        call._subchannel = subchannel;
        // Mostly the settings the pooled call had last time: a store only when they differ spares a write barrier.
        if (!ReferenceEquals(call._settings, settings))
        {
            call._settings = settings;
            call._options = settings.SerializerOptions;
        }
        call._method = method;
        call._cancellationToken = cancellationToken;
        call._context = context;
        return call;
    }

    /// <summary>
    /// The key a consistent-hash balancer routes this call on: generated proxies set it from the argument marked
    /// <see cref="RpcHashKeyAttribute"/>. <see cref="RpcCallOptions.HashKey"/>, when set, wins.
    /// </summary>
    public string? HashKey { get; set; }

    /// <summary>A writer over this call's pooled request buffer. Write the arguments in order, then call <see cref="RpcWriter.Flush"/> once.</summary>
    public RpcWriter CreateArgumentWriter() => new(_request, _request.GetSpan(RpcFrameBuffer.MinimumSize), _options);

    /// <summary>
    /// Sends the request and completes with the result, read straight from the response frame; or throws
    /// <see cref="RpcException"/> with the call's status.
    /// </summary>
    public ValueTask<TResult> InvokeAsync<TResult>()
    {
        if (_context is { Pipeline: { } interceptors } context)
        {
            return InvokeInterceptedAsync<TResult>(interceptors, context);
        }
        return InvokeDirectAsync<TResult>();
    }

    /// <summary>Sends the request and completes when the (empty) response arrives; or throws <see cref="RpcException"/>.</summary>
    public ValueTask InvokeAsync()
    {
        if (_context is { Pipeline: { } interceptors } context)
        {
            return InvokeInterceptedVoidAsync(interceptors, context);
        }
        RpcResponseSource<RpcVoid> source = AttachSource<RpcVoid>();
        ValueTask task = source.VoidTask;
        Send(source);
        return task;
    }

    /// <summary>
    /// Sends a one-way request: completes once the frame is handed to the connection's writer; no response comes.
    /// Fails with <see cref="RpcException"/> when the frame cannot be sent.
    /// </summary>
    public ValueTask SendOneWayAsync()
    {
        if (_context is { Pipeline: { } interceptors } context)
        {
            return SendOneWayInterceptedAsync(interceptors, context);
        }
        return SendOneWayDirect();
    }

    /// <summary>
    /// A server-streaming call. Returns at once; the request is sent when enumeration starts, and the call is
    /// cancelled by the token given to <see cref="IRpcCallInvoker.StartCall"/> or by the enumerator's token
    /// (<see cref="TaskAsyncEnumerableExtensions.WithCancellation{T}"/>), or by leaving the enumeration early.
    /// The returned sequence can be enumerated once. A failed call throws <see cref="RpcException"/> from
    /// <see cref="IAsyncEnumerator{T}.MoveNextAsync"/>, after the items that arrived before the failure.
    /// </summary>
    public IAsyncEnumerable<TResponse> InvokeServerStreaming<TResponse>() =>
        new RpcResponseStream<TResponse>(DetachStream(pump: null, receivesStream: true));

    /// <summary>
    /// A client-streaming call with a result: sends the request, then the items of <paramref name="requests"/> as
    /// the server's flow control allows, and completes with the server's result. Enumerating
    /// <paramref name="requests"/> stops when the call ends; an exception it throws fails the call (and cancels it
    /// on the server).
    /// </summary>
    public ValueTask<TResult> InvokeClientStreamingAsync<TRequest, TResult>(IAsyncEnumerable<TRequest> requests)
    {
        if (requests is null)
        {
            Abandon();
            throw new ArgumentNullException(nameof(requests));
        }
        return DetachStream(new RpcRequestPump<TRequest>(requests), receivesStream: false).RunClientStreamingAsync<TResult>();
    }

    /// <summary>A client-streaming call without a result (see <see cref="InvokeClientStreamingAsync{TRequest, TResult}"/>).</summary>
    public ValueTask InvokeClientStreamingAsync<TRequest>(IAsyncEnumerable<TRequest> requests)
    {
        if (requests is null)
        {
            Abandon();
            throw new ArgumentNullException(nameof(requests));
        }
        return DetachStream(new RpcRequestPump<TRequest>(requests), receivesStream: false).RunClientStreamingVoidAsync();
    }

    /// <summary>
    /// A duplex call: returns at once; when enumeration starts, sends the request and then the items of
    /// <paramref name="requests"/> while the server's responses are enumerated (see
    /// <see cref="InvokeServerStreaming{TResponse}"/> and <see cref="InvokeClientStreamingAsync{TRequest, TResult}"/>).
    /// </summary>
    public IAsyncEnumerable<TResponse> InvokeDuplexStreaming<TRequest, TResponse>(IAsyncEnumerable<TRequest> requests)
    {
        if (requests is null)
        {
            Abandon();
            throw new ArgumentNullException(nameof(requests));
        }
        return new RpcResponseStream<TResponse>(DetachStream(new RpcRequestPump<TRequest>(requests), receivesStream: true));
    }

    /// <summary>Releases the call without sending anything: writing the arguments threw.</summary>
    public void Abandon()
    {
        _request.Clear();
        Recycle();
    }

    private ValueTask<TResult> InvokeDirectAsync<TResult>()
    {
        RpcResponseSource<TResult> source = AttachSource<TResult>();
        ValueTask<TResult> task = source.Task;
        Send(source);
        return task;
    }

    // The kept source when it has the result type, else a rented one that this call keeps from now on.
    private RpcResponseSource<TResult> AttachSource<TResult>()
    {
        if (_source is not RpcResponseSource<TResult> source)
        {
            _source?.ReturnToPool();
            _source = source = RpcResponseSource<TResult>.Rent(this);
        }
        source.Prepare(_options);
        return source;
    }

    private async ValueTask<TResult> InvokeInterceptedAsync<TResult>(RpcClientInterceptorPipeline interceptors, RpcClientCallContext context)
    {
        context.SetSend(static async (context, state) =>
        {
            TResult result = await ((RpcOutgoingCall)state).InvokeDirectAsync<TResult>().ConfigureAwait(false);
            if (typeof(TResult) != typeof(RpcVoid))
            {
                context.Result = result;
            }
        }, this);
        try
        {
            await interceptors.RunAsync(context).ConfigureAwait(false);
        }
        finally
        {
            // Short-circuited: nothing was sent and the pooled call is still ours to return.
            if (!context.WasSent)
            {
                Abandon();
            }
        }
        return context.GetResult<TResult>();
    }

    private async ValueTask InvokeInterceptedVoidAsync(RpcClientInterceptorPipeline interceptors, RpcClientCallContext context) =>
        await InvokeInterceptedAsync<RpcVoid>(interceptors, context).ConfigureAwait(false);

    private async ValueTask SendOneWayInterceptedAsync(RpcClientInterceptorPipeline interceptors, RpcClientCallContext context)
    {
        context.SetSend(static (context, state) => ((RpcOutgoingCall)state).SendOneWayDirect(), this);
        try
        {
            await interceptors.RunAsync(context).ConfigureAwait(false);
        }
        finally
        {
            if (!context.WasSent)
            {
                Abandon();
            }
        }
    }

    private ValueTask SendOneWayDirect()
    {
        RpcClientCallContext? context = _context;
        RpcException? failure = RpcRequestPreparation.Prepare(_request, context, _method!, _settings!, _options, armDeadline: false, out RpcFrameFlags flags)
            ?? (_cancellationToken.IsCancellationRequested ? CreateCancelled() : null);
        if (failure is null)
        {
            if (_subchannel!.Pick(_context, HashKey) is not { } connection)
            {
                return SendOneWayWhenReadyAsync(flags);
            }
            failure = connection.SendOneWay(_request, _method!, flags, _context);
            if (failure is RpcRefusedException)
            {
                // Refused before it was queued: the server never saw it, so it may go on the next connection.
                return SendOneWayWhenReadyAsync(flags);
            }
        }
        _request.Reset();
        context?.Publish();
        Recycle();
        return failure is null ? default : ValueTask.FromException(failure);
    }

    private async ValueTask SendOneWayWhenReadyAsync(RpcFrameFlags flags)
    {
        RpcException? failure;
        try
        {
            RpcClientConnection connection = await _subchannel!.WaitForReadyAsync(_context, HashKey, _method!, _cancellationToken).ConfigureAwait(false);
            failure = connection.SendOneWay(_request, _method!, flags, _context);
        }
        catch (OperationCanceledException)
        {
            failure = CreateCancelled();
        }
        catch (RpcException ex)
        {
            failure = ex;
        }
        catch (Exception ex)
        {
            failure = new RpcException(RpcStatusCode.Internal, "The one-way call could not be sent: " + ex.Message, ex);
        }
        _request.Reset();
        _context?.Publish();
        Recycle();
        if (failure is not null)
        {
            throw failure;
        }
    }

    private void Send(RpcResponseSource response)
    {
        RpcClientSettings settings = _settings!;
        if (RpcRequestPreparation.Prepare(_request, _context, _method!, settings, _options, armDeadline: true, out RpcFrameFlags flags) is { } failure)
        {
            _request.Clear();
            CompleteWithException(failure);
            return;
        }
        if (_cancellationToken.CanBeCanceled)
        {
            _registration = _cancellationToken.UnsafeRegister(s_onCancelled, this);
        }
        _flags = flags;
        _attempts = 1;
        // A small request is kept for nothing (its buffer stays with the pooled call); a large one only when a
        // retry policy may need it.
        _requestKept = _request.PayloadLength + RpcFrameHeader.Size <= RpcFrameSender.CopiedFrameLimit
            || (_method!.IsIdempotent && settings.RetryPolicy is not null);
        if (_subchannel!.Pick(_context, HashKey) is { } connection)
        {
            StartOn(connection);
        }
        else
        {
            _ = RetryAsync(TimeSpan.Zero);
        }
    }

    // Sends the request on a connection; once this succeeds the call is in the connection's pending table and
    // whoever takes it out completes it (or retries it).
    private void StartOn(RpcClientConnection connection)
    {
        _connection = connection;
        RpcException? failure = connection.TryStartCall(this, _request, _flags, _cancellationToken, _requestKept);
        if (failure is not null)
        {
            Fail(failure);
        }
    }

    /// <summary>
    /// The call failed on its connection (taken out of the pending table by whoever calls this): sends it again when
    /// it may be, else completes it with <paramref name="failure"/>. A call the server never saw goes again once,
    /// whatever its method; an idempotent one as its retry policy allows.
    /// </summary>
    internal void Fail(RpcException failure)
    {
        if (_connection is { IsClosing: true } connection && failure.StatusCode == RpcStatusCode.Unavailable && failure is not RpcRefusedException)
        {
            // The connection dropped under the call: the instance's health, not the server's answer.
            _subchannel!.OnTransportFailure(connection);
        }
        if (!TryScheduleRetry(failure))
        {
            CompleteWithException(failure);
        }
    }

    private bool TryScheduleRetry(RpcException failure)
    {
        if (!_requestKept || _cancellationToken.IsCancellationRequested || _context is { DeadlinePassed: true })
        {
            return false;
        }
        TimeSpan delay;
        if (failure is RpcRefusedException && !_transparentRetryUsed)
        {
            _transparentRetryUsed = true;
            delay = TimeSpan.Zero;
            Diagnostics.RpcTelemetry.OnRetry(transparent: true);
        }
        else if (_method!.IsIdempotent && _settings!.RetryPolicy is { } policy && policy.IsRetryable(failure.StatusCode))
        {
            // Every failed attempt drains the budget, the last one too; a drained budget stops retries.
            // A dropped connection is one failure of the cluster however many calls it carried: it takes one token
            // (charged by the first of its calls), so that a kill -9 under load does not drain the budget at once.
            bool allowed = _connection is { IsClosing: true } dropped && failure is not RpcRefusedException
                ? dropped.ChargeRetryBudget(_settings.RetryBudget!)
                : _settings.RetryBudget!.OnFailure();
            if (!allowed || _attempts >= policy.MaxAttempts)
            {
                return false;
            }
            _attempts++;
            delay = policy.NextDelay(_attempts - 1);
            Diagnostics.RpcTelemetry.OnRetry(transparent: false);
        }
        else
        {
            return false;
        }
        CallId = 0;
        _failedOn = _connection;
        _connection = null;
        if (_context is { } context)
        {
            context.CallId = 0;
            context.Connection = null;
        }
        _ = RetryAsync(delay);
        return true;
    }

    // Waits out the delay and for a Ready connection (Connecting queues, TransientFailure fails fast unless the
    // call waits for ready), within the call's deadline and token, then sends again.
    private async Task RetryAsync(TimeSpan delay)
    {
        RpcClientConnection connection;
        try
        {
            if (delay > TimeSpan.Zero)
            {
                if (_context?.Deadline is { } deadline && deadline - DateTimeOffset.UtcNow < delay)
                {
                    throw RpcClientConnection.CreateDeadlineExceeded(_method!);
                }
                await Task.Delay(delay, _cancellationToken).ConfigureAwait(false);
            }
            connection = await _subchannel!.WaitForRetryAsync(_context, HashKey, _method!, _failedOn, _cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _request.Clear();
            CompleteWithException(CreateCancelled());
            return;
        }
        catch (RpcException ex)
        {
            _request.Clear();
            CompleteWithException(ex);
            return;
        }
        catch (Exception ex)
        {
            // Nothing may leave a call uncompleted: its caller would wait forever.
            _request.Clear();
            CompleteWithException(new RpcException(RpcStatusCode.Internal, "The call could not be sent again: " + ex.Message, ex));
            return;
        }
        StartOn(connection);
    }

    private RpcClientStreamCall DetachStream(RpcRequestPump? pump, bool receivesStream)
    {
        var stream = new RpcClientStreamCall(_subchannel!, _settings!, _method!, _options, _cancellationToken, _context, pump, receivesStream, HashKey);
        stream.Request.TakeFrom(_request);
        Recycle();
        return stream;
    }

    internal static RpcException CreateCancelled() => new(RpcStatusCode.Cancelled, "The call was cancelled.");

    private static void OnCancelled(object? state)
    {
        var call = (RpcOutgoingCall)state!;
        RpcClientConnection? connection = call._connection;
        if (connection is not null && connection.TryRemovePending(call, out uint callId))
        {
            connection.SendCancel(callId);
            call.CompleteWithException(CreateCancelled());
        }
    }

    /// <summary>Response headers arrived; called under the connection's lock while the call is pending.</summary>
    internal void SetResponseHeaders(RpcMetadata headers)
    {
        if (_context is { } context)
        {
            context.ResponseHeaders = headers;
        }
    }

    /// <summary>
    /// Completes with a response payload: reads it now and returns the work that resumes the caller (null when the
    /// call failed instead). Only whoever removed the call from the pending table calls this.
    /// </summary>
    internal RpcResponseSource? CompleteWithPayload(RpcFrameFlags flags, ReadOnlySpan<byte> payload)
    {
        if ((flags & RpcFrameFlags.HasMetadata) != 0)
        {
            try
            {
                int consumed;
                if (_context is { } context)
                {
                    context.ResponseTrailers = RpcMetadataCodec.Read(payload, _options, _settings!.MaxMetadataSize, out consumed);
                }
                else
                {
                    // Nobody can see trailers of a plain call: skip them without decoding.
                    consumed = RpcMetadataCodec.Measure(payload);
                }
                payload = payload.Slice(consumed);
            }
            catch (Exception ex) when (ex is RpcSerializationException or RpcException)
            {
                CompleteWithException(new RpcException(ex is RpcException rpc ? rpc.StatusCode : RpcStatusCode.Internal, "The server sent unreadable trailers: " + ex.Message, ex));
                return null;
            }
        }
        _context?.Publish();
        if (_method!.IsIdempotent && _settings!.RetryBudget is { } budget)
        {
            budget.OnSuccess();
        }
        RpcResponseSource response = Release();
        response.ReadResult(payload);
        return response;
    }

    /// <summary>Fails the call. Only whoever removed the call from the pending table (or never added it) calls this.</summary>
    internal void CompleteWithException(Exception exception)
    {
        if (_context is { } context)
        {
            if (exception is RpcException { Trailers: { } trailers })
            {
                context.ResponseTrailers = trailers;
            }
            context.Publish();
        }
        Release().SetException(exception);
    }

    // Ends the call's part in the exchange; the call goes back to the pool once the awaiter takes the result from
    // the returned source (ReturnFromSource).
    private RpcResponseSource Release()
    {
        // Dispose waits for a cancellation callback running on another thread, so none can run after recycling.
        _registration.Dispose();
        _registration = default;
        RpcResponseSource response = _source!;
        // The request was kept for a retry until now (a small buffer stays with the pooled call).
        _request.Reset();
        Clear();
        return response;
    }

    /// <summary>Back to the pool: the awaiter has taken the result of this call's source.</summary>
    internal void ReturnFromSource() => s_pool.Return(this);

    private void Recycle()
    {
        Clear();
        s_pool.Return(this);
    }

    private void Clear()
    {
        HashKey = null;
        _connection = null;
        _failedOn = null;
        _subchannel = null;
        _transparentRetryUsed = false;
        _method = null;
        _cancellationToken = default;
        _context = null;
        CallId = 0;
    }
}
