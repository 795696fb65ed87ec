using System;
using System.Buffers;
using System.Threading;
using Rpc.Protocol;
using Rpc.Serialization;

namespace Rpc.Server;

/// <summary>
/// One request being served: a pooled thread-pool work item that owns a copy of the request payload (in its own
/// buffer when small), the call's cancellation source and a frame buffer for the response. It completes exactly
/// once, with a result, no result, the end of its response stream, or an exception mapped to a status, and then
/// returns to the pool. Calls with metadata, a deadline, interceptors or streams carry an <see cref="RpcContext"/>
/// and stream state; plain calls carry neither.
/// </summary>
internal sealed class RpcServerCall : IThreadPoolWorkItem
{
    private const string HandlerExceptionMessage = "Exception was thrown by handler.";

    private static readonly RpcObjectPool<RpcServerCall> s_pool = new(RpcObjectPool.CallCapacity, perThreadCache: true);
    private static readonly Action<object?> s_endRequests = static state =>
        ((RpcStreamReceiver)state!).Abort(new OperationCanceledException("The call was cancelled."));
    private static readonly TimeSpan s_maxTimerDue = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    // Small request payloads (most unary calls) are copied here rather than into a rented array: the call object is
    // pooled already, so its own buffer costs nothing per call.
    private const int InlinePayloadSize = 256;

    private readonly RpcFrameBuffer _response = new();
    private readonly byte[] _inlinePayload = new byte[InlinePayloadSize];
    private CancellationTokenSource _cancellation = new();
    private RpcServerConnection? _connection;
    private RpcServerMethod? _method;
    private byte[]? _payload;
    private int _payloadLength;
    private bool _oneWay;
    private volatile bool _cancelledByClient;
    private volatile bool _cancelledByServer;

    // True once whatever answers the call (a response, a StreamEnd or an Error) has sealed its frame in _response;
    // Finish, which every completion ends with, hands it to the connection.
    private bool _finalInResponse;

    private RpcContext? _context;
    private RpcStreamReceiver? _requests;
    private RpcStreamSender? _responseWindow;
    private CancellationTokenRegistration _requestsRegistration;
    private bool _hasDeadline;
    private bool _headersSent;

    private RpcServerCall()
    {
    }

    public uint CallId { get; private set; }

    public ReadOnlySpan<byte> Payload => _payload.AsSpan(0, _payloadLength);

    public RpcSerializerOptions SerializerOptions => _connection!.SerializerOptions;

    public CancellationToken CancellationToken { get; private set; }

    public RpcServerMethod Method => _method!;

    /// <summary>The call's context; null for a plain call.</summary>
    public RpcContext? Context => _context;

    /// <summary>The client's request stream (client and duplex streaming).</summary>
    public RpcStreamReceiver? RequestStream => _requests;

    /// <summary>The credit of the response stream (server and duplex streaming).</summary>
    public RpcStreamSender? ResponseWindow => _responseWindow;

    /// <summary>The server's interceptors; null when none are registered.</summary>
    public RpcServerInterceptorPipeline? Interceptors => _connection!.Interceptors;

    /// <summary>The chain of an observed call: the telemetry interceptor, then the server's.</summary>
    public RpcServerInterceptorPipeline? ObservedInterceptors => _connection!.ObservedInterceptors;

    /// <summary>Takes a call from the pool and copies the request payload into its own buffer or a pooled array.</summary>
    public static RpcServerCall Rent(RpcServerConnection connection, RpcServerMethod method, uint callId, bool oneWay, ReadOnlySpan<byte> payload)
    {
        RpcServerCall call = s_pool.TryRent() ?? new RpcServerCall();
        call._connection = connection;
        call._method = method;
        call.CallId = callId;
        call._oneWay = oneWay;
        call.CancellationToken = call._cancellation.Token;
        byte[] copy = payload.Length <= InlinePayloadSize ? call._inlinePayload : RpcBufferPool.Rent(payload.Length);
        payload.CopyTo(copy);
        call._payload = copy;
        call._payloadLength = payload.Length;
        return call;
    }

    public void AttachContext(RpcContext context) => _context = context;

    // The call whose handler is running its synchronous part on this thread: plain calls get no context up front
    // (it would cost an allocation per call), so RpcContext.Current makes one on first use from here. The thread's
    // slot is an object of its own, so that entering and leaving a handler look the thread-static up once per call
    // rather than three times (each lookup is a runtime helper call).
    [ThreadStatic]
    private static HandlerSlot? t_handlerSlot;

    private static HandlerSlot ThreadSlot => t_handlerSlot ??= new HandlerSlot();

    // The call whose handler the current async flow belongs to: set by running the handler in the call's own
    // execution context (see FlowingContext), so that RpcContext.Current finds the call after any await too.
    private static readonly AsyncLocal<RpcServerCall?> s_flowingCall = new();

    // An execution context in which s_flowingCall is this call, made once per pooled call and reused by every call it
    // serves: switching to it costs no allocation, where setting an AsyncLocal per call would cost two.
    private ExecutionContext? _flowingContext;

    private ExecutionContext FlowingContext => _flowingContext ??= CaptureFlowingContext();

    private ExecutionContext CaptureFlowingContext()
    {
        ExecutionContext? saved = ExecutionContext.Capture();
        s_flowingCall.Value = this;
        ExecutionContext flowing = ExecutionContext.Capture()!;
        if (saved is not null)
        {
            ExecutionContext.Restore(saved);
        }
        else
        {
            s_flowingCall.Value = null;
        }
        return flowing;
    }

    /// <summary>
    /// Marks <paramref name="call"/> as the one whose handler runs on this thread, and runs the handler in the call's
    /// flowing execution context; returns what <see cref="ExitHandler"/> restores.
    /// </summary>
    public static HandlerScope EnterHandler(RpcServerCall call)
    {
        HandlerSlot slot = ThreadSlot;
        RpcServerCall? previous = slot.Call;
        slot.Call = call;
        // Null only when flow is suppressed here: then the handler runs in the thread's context, as before.
        ExecutionContext? previousContext = ExecutionContext.Capture();
        if (previousContext is not null)
        {
            ExecutionContext.Restore(call.FlowingContext);
        }
        return new HandlerScope(slot, previous, previousContext);
    }

    /// <summary>
    /// Ends what <see cref="EnterHandler"/> began for <paramref name="call"/>. A context made on demand by a handler
    /// that is not an async method was set on the caller's frame: it is unset here. A call that made none set none.
    /// </summary>
    public static void ExitHandler(RpcServerCall call, in HandlerScope scope)
    {
        scope.Slot.Call = scope.Previous;
        if (scope.PreviousContext is { } previous)
        {
            // Back to the caller's context: whatever the handler set in its own (a context made on demand) goes too.
            ExecutionContext.Restore(previous);
        }
        else if (call._context is not null)
        {
            RpcContext.SetCurrent(null);
        }
    }

    /// <summary>
    /// A thread's running handler (see <see cref="EnterHandler"/>), and the buffer in which plain calls completed on
    /// this thread build their responses (see <see cref="CompleteWithResult"/>; always left empty).
    /// </summary>
    public sealed class HandlerSlot
    {
        public RpcServerCall? Call;

        public readonly RpcFrameBuffer ResponseScratch = new();
    }

    /// <summary>What <see cref="ExitHandler"/> restores: the thread's slot, the call that was in it, and the thread's execution context.</summary>
    public readonly record struct HandlerScope(HandlerSlot Slot, RpcServerCall? Previous, ExecutionContext? PreviousContext);

    /// <summary>
    /// The context of the call whose handler is running on this thread, made now if the call had none, and made
    /// ambient for the rest of the handler. Null outside a handler's synchronous part.
    /// </summary>
    public static RpcContext? ContextOfRunningHandler()
    {
        // The flow's own call first: a continuation of one handler may run inline inside another's synchronous part.
        RpcServerCall? call = s_flowingCall.Value;
        bool flowing = call is not null;
        call ??= t_handlerSlot?.Call;
        // A flowing call that has finished (work its handler left behind) has no context any more.
        if (call?._connection is not { } connection)
        {
            return null;
        }
        RpcContext context = call._context ??= new RpcContext(call, call.Method.Descriptor, connection.Peer, deadline: null, requestHeaders: null) { PeerCertificate = connection.PeerCertificate };
        if (!flowing)
        {
            // Flow was suppressed as the handler started: the context flows from here on, as it always did.
            RpcContext.SetCurrent(context);
        }
        return context;
    }

    /// <summary>Gives a streaming call its stream state; the request stream ends when the call's token fires.</summary>
    public void AttachStreams(RpcStreamReceiver? requests, RpcStreamSender? responses)
    {
        _requests = requests;
        _responseWindow = responses;
        if (requests is not null)
        {
            _requestsRegistration = CancellationToken.UnsafeRegister(s_endRequests, requests);
        }
    }

    /// <summary>Starts the deadline: the call's token fires when it passes.</summary>
    public void ArmDeadline(TimeSpan timeout)
    {
        _hasDeadline = true;
        if (timeout < s_maxTimerDue)
        {
            _cancellation.CancelAfter(timeout);
        }
    }

    void IThreadPoolWorkItem.Execute() => _method!.Execute(this);

    /// <summary>Cancels the call's token. Called under the connection's lock while the call is active.</summary>
    public void Cancel(bool byClient)
    {
        if (byClient)
        {
            _cancelledByClient = true;
        }
        else
        {
            _cancelledByServer = true;
        }
        // Callbacks run on the thread pool, not on the read loop that received the Cancel.
        _ = _cancellation.CancelAsync();
    }

    public void ReleasePayload()
    {
        byte[]? payload = _payload;
        _payload = null;
        _payloadLength = 0;
        if (payload is not null && payload != _inlinePayload)
        {
            RpcBufferPool.Return(payload);
        }
    }

    /// <summary>The exception a handler's undecodable arguments become.</summary>
    public RpcException CreateInvalidArguments(RpcSerializationException exception) =>
        new(RpcStatusCode.InvalidArgument, $"The arguments of {_method!.Descriptor} could not be read: {exception.Message}", exception);

    /// <summary>
    /// Answers the call with <paramref name="result"/>, written by the formatter that <paramref name="formatter"/>
    /// keeps (when given: see <see cref="RpcFormatterCache{T}"/>) or by the one registered for the type.
    /// <paramref name="thread"/> is this thread's slot when the caller has it at hand (it saves a thread-static lookup).
    /// </summary>
    public void CompleteWithResult<TResult>(TResult result, RpcFormatterCache<TResult>? formatter = null, HandlerSlot? thread = null)
    {
        if (!ShouldRespond)
        {
            Finish();
            return;
        }
        RpcFrameFlags flags = RpcFrameFlags.None;
        if (_context is not null && !TryBeginFinalFrame(ref flags))
        {
            Finish();
            return;
        }
        // A plain call's response is written into this thread's scratch buffer, warm in this core's cache, and
        // copied out of it as the call finishes; the call's own buffer was last touched wherever the pooled call
        // ran before. A call with a context may have written trailers into its own buffer already.
        RpcFrameBuffer frame = _context is null ? (thread ?? ThreadSlot).ResponseScratch : _response;
        try
        {
            var writer = new RpcWriter(frame, frame.GetSpan(RpcFrameBuffer.MinimumSize), SerializerOptions);
            if (formatter is null)
            {
                writer.WriteValue(result);
            }
            else
            {
                writer.WriteValue(result, formatter);
            }
            writer.Flush();
        }
        catch (Exception ex)
        {
            frame.Clear();
            SendError(RpcStatusCode.Internal, "The result could not be serialized.", ex, includeTrailers: false);
            Finish();
            return;
        }
        if (frame == _response)
        {
            SendFinalFrame(RpcFrameType.Response, flags);
            Finish();
            return;
        }
        if (RejectOversizedResult(frame))
        {
            Finish();
            return;
        }
        frame.Seal(RpcFrameType.Response, flags, CallId, _method!.Descriptor.Id);
        Finish(frame);
    }

    public void CompleteWithoutResult()
    {
        if (ShouldRespond)
        {
            RpcFrameFlags flags = RpcFrameFlags.None;
            if (_context is null || TryBeginFinalFrame(ref flags))
            {
                SendFinalFrame(RpcFrameType.Response, flags);
            }
        }
        Finish();
    }

    /// <summary>The response stream was sent: end it, and the call, with StreamEnd.</summary>
    public void CompleteStream()
    {
        if (ShouldRespond)
        {
            RpcFrameFlags flags = RpcFrameFlags.EndOfStream;
            if (TryBeginFinalFrame(ref flags))
            {
                SendFinalFrame(RpcFrameType.StreamEnd, flags);
            }
        }
        Finish();
    }

    /// <summary>Maps a handler's exception to a status and sends it as an Error frame (a one-way call reports it instead).</summary>
    /// <remarks>Arguments that could not be read arrive here already mapped to <see cref="RpcStatusCode.InvalidArgument"/>.</remarks>
    public void CompleteWithException(Exception exception)
    {
        if (ShouldRespond)
        {
            if (exception is RpcException rpc)
            {
                SendError(rpc.StatusCode, rpc.Message, exception, rpc.ServerDetail, rpc.Trailers);
            }
            else if (exception is OperationCanceledException && CancellationToken.IsCancellationRequested)
            {
                // The client did not cancel (it would not be waiting for this answer): the server gave up on the
                // call, or its deadline passed.
                if (_cancelledByServer)
                {
                    SendError(RpcStatusCode.Unavailable, "The server shut down before the call finished.", exception);
                }
                else if (_hasDeadline)
                {
                    SendError(RpcStatusCode.DeadlineExceeded, "The deadline passed before the call finished.", exception);
                }
                else
                {
                    SendError(RpcStatusCode.Cancelled, "The call was cancelled.", exception);
                }
            }
            else
            {
                Diagnostics.RpcLog.HandlerFailed(_connection!.Logger, _method!.Descriptor, exception);
                SendError(RpcStatusCode.Unknown, HandlerExceptionMessage, exception);
            }
        }
        else if (_oneWay)
        {
            _connection!.ReportOneWayError(_method!.Descriptor, exception);
        }
        Finish();
    }

    // A one-way call is never answered, and a call the client cancelled is no longer awaited.
    private bool ShouldRespond => !_oneWay && !_cancelledByClient;

    /// <summary>Sends one item of the response stream, with the response headers ahead of the first.</summary>
    public void SendStreamItem<T>(in T item)
    {
        SendHeadersIfNeeded(throwOnFailure: true);
        bool queued;
        try
        {
            queued = RpcStreamItemWriter.Send(_connection!, _responseWindow!, _response, SerializerOptions, CallId, item, _method!.Descriptor);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw new RpcException(RpcStatusCode.Internal, $"A stream item of {_method!.Descriptor} could not be serialized.", ex);
        }
        if (!queued)
        {
            // The connection is closing; its close cancels this call.
            throw new OperationCanceledException("The connection is closing.");
        }
    }

    /// <summary>Sends the stream items queued so far when the pump is about to wait.</summary>
    public void FlushStreamIfPending(bool nextIsCompleted)
    {
        if (_connection is { } connection)
        {
            RpcStreamItemWriter.FlushIfPending(connection, nextIsCompleted);
        }
    }

    /// <summary>Sends the Headers frame if the handler set response headers and they have not gone yet; after this, they are read-only.</summary>
    private void SendHeadersIfNeeded(bool throwOnFailure)
    {
        if (_context is not { } context || _headersSent)
        {
            return;
        }
        _headersSent = true;
        RpcMetadata? headers = context.CloseResponseHeaders();
        if (headers is null)
        {
            return;
        }
        RpcServerConnection connection = _connection!;
        var buffer = new RpcFrameBuffer();
        try
        {
            RpcMetadataCodec.Write(buffer, headers, SerializerOptions, connection.MaxMetadataSize);
        }
        catch (Exception ex) when (ex is RpcException or RpcSerializationException)
        {
            buffer.Clear();
            // Without its headers the answer would be wrong: the call fails instead (an Error frame goes out next).
            if (throwOnFailure)
            {
                throw new RpcException(RpcStatusCode.ResourceExhausted, $"The response headers of {_method!.Descriptor} could not be sent: {ex.Message}", ex);
            }
            return;
        }
        connection.TryEnqueue(buffer.Detach(RpcFrameType.Headers, RpcFrameFlags.None, CallId, _method!.Descriptor.Id));
    }

    /// <summary>
    /// Before a Response or StreamEnd of a call with a context: sends the headers, writes the trailers at the start
    /// of the payload. False (and an Error sent instead) when either cannot be sent.
    /// </summary>
    private bool TryBeginFinalFrame(ref RpcFrameFlags flags)
    {
        try
        {
            SendHeadersIfNeeded(throwOnFailure: true);
            if (_context!.ResponseTrailersToSend is { } trailers)
            {
                WriteTrailers(trailers);
                flags |= RpcFrameFlags.HasMetadata;
            }
            return true;
        }
        catch (RpcException ex)
        {
            _response.Clear();
            SendError(ex.StatusCode, ex.Message, ex, includeTrailers: false);
            return false;
        }
    }

    private void WriteTrailers(RpcMetadata trailers)
    {
        try
        {
            RpcMetadataCodec.Write(_response, trailers, SerializerOptions, _connection!.MaxMetadataSize);
        }
        catch (Exception ex) when (ex is RpcException or RpcSerializationException)
        {
            throw new RpcException(RpcStatusCode.ResourceExhausted, $"The trailers of {_method!.Descriptor} could not be sent: {ex.Message}", ex);
        }
    }

    private void SendFinalFrame(RpcFrameType type, RpcFrameFlags flags)
    {
        if (RejectOversizedResult(_response))
        {
            return;
        }
        DropFinalFrame();
        _response.Seal(type, flags, CallId, _method!.Descriptor.Id);
        _finalInResponse = true;
    }

    /// <summary>
    /// A result over the client's frame limit is dropped (<paramref name="frame"/> left empty) and answered with
    /// ResourceExhausted instead, sealed in the call's own buffer; true when that happened.
    /// </summary>
    private bool RejectOversizedResult(RpcFrameBuffer frame)
    {
        RpcServerConnection connection = _connection!;
        if (frame.PayloadLength <= connection.MaxFrameSize)
        {
            return false;
        }
        int length = frame.PayloadLength;
        frame.Clear();
        SendError(RpcStatusCode.ResourceExhausted, $"The result of {_method!.Descriptor} is {length} bytes, over the MaxFrameSize of {connection.MaxFrameSize} bytes.", null, includeTrailers: false);
        return true;
    }

    private void SendError(RpcStatusCode status, string message, Exception? exception, string? detail = null, RpcMetadata? thrownTrailers = null, bool includeTrailers = true)
    {
        DropFinalFrame();
        RpcServerConnection connection = _connection!;
        if (connection.IncludeExceptionDetails && exception is not null)
        {
            detail = exception.ToString();
        }
        RpcFrameFlags flags = RpcFrameFlags.None;
        if (_context is not null || thrownTrailers is not null)
        {
            SendHeadersIfNeeded(throwOnFailure: false);
            RpcMetadata? trailers = includeTrailers ? Merge(_context?.ResponseTrailersToSend, thrownTrailers) : null;
            if (trailers is not null)
            {
                try
                {
                    WriteTrailers(trailers);
                    flags = RpcFrameFlags.HasMetadata;
                }
                catch (RpcException ex)
                {
                    _response.Clear();
                    status = ex.StatusCode;
                    message = ex.Message;
                }
            }
        }
        RpcControlFrames.WriteError(_response, connection.SerializerOptions, CallId, _method!.Descriptor.Id, status, message, detail, flags);
        _finalInResponse = true;
    }

    // A call answers once; should a second answer replace the first, the first one is dropped.
    private void DropFinalFrame()
    {
        if (_finalInResponse)
        {
            _finalInResponse = false;
            _response.Reset();
        }
    }

    private static RpcMetadata? Merge(RpcMetadata? first, RpcMetadata? second)
    {
        if (first is null || second is not { Count: > 0 })
        {
            return second is { Count: > 0 } ? second : first;
        }
        RpcMetadata merged = first.Clone();
        foreach (RpcMetadataEntry entry in second)
        {
            merged.AddValidated(entry);
        }
        return merged;
    }

    /// <summary>Returns a call that was never started to the pool.</summary>
    public void Discard()
    {
        ReleasePayload();
        Reset();
    }

    /// <summary>
    /// Ends the call. Its final frame, sealed in <paramref name="finalFrame"/> (else in _response, if it sends one),
    /// is queued as the call leaves the active table; the connection copies it out (or takes its array), leaving
    /// the buffer empty.
    /// </summary>
    private void Finish(RpcFrameBuffer? finalFrame = null)
    {
        _connection!.OnCallFinished(this, finalFrame ?? (_finalInResponse ? _response : null));
        _finalInResponse = false;
        ReleasePayload();
        Reset();
    }

    private void Reset()
    {
        if (_requests is not null)
        {
            // Waits for an abort running on another thread, so none runs after the source is reused.
            _requestsRegistration.Dispose();
            _requestsRegistration = default;
            // What the handler did not read is dropped, and its pooled buffers returned.
            _requests.Abort(new InvalidOperationException($"The call to {_method?.Descriptor} has finished; its request stream can no longer be read."));
            _requests = null;
        }
        _responseWindow = null;
        _context?.Detach();
        _context = null;
        _headersSent = false;
        // After OnCallFinished nobody can cancel this call any more, so the source can be reset for the next one;
        // not after a deadline, whose timer could be firing right now and would cancel the next call.
        if (_hasDeadline)
        {
            _cancellation.Dispose();
            _cancellation = new CancellationTokenSource();
            _hasDeadline = false;
        }
        else if (!_cancellation.TryReset())
        {
            _cancellation = new CancellationTokenSource();
        }
        CancellationToken = default;
        _connection = null;
        _method = null;
        _cancelledByClient = false;
        _cancelledByServer = false;
        CallId = 0;
        s_pool.Return(this);
    }
}
