using System;
using System.Collections.Generic;
using System.IO.Pipelines;
using System.Net;
using System.Threading;
using Rpc.Protocol;
using Rpc.Serialization;

namespace Rpc.Client;

/// <summary>
/// The client's side of a connection: assigns call ids, keeps the tables of calls waiting for a response (unary
/// calls, and streaming calls), and completes them from the server's frames, or all at once when the connection
/// closes.
/// </summary>
internal sealed class RpcClientConnection : RpcConnection
{
    // The sender's lock: a call goes into the pending table and its request into the send queue in one step.
    private readonly RpcSpinLock _lock;
    private readonly RpcCallTable<RpcOutgoingCall> _pending = new();
    private readonly RpcCallTable<RpcClientStreamCall> _streams = new();
    private uint _lastCallId;
    private string? _refusal;
    private bool _draining;
    private int _retryBudgetCharged;

    public RpcClientConnection(IDuplexPipe pipe, IAsyncDisposable transport, RpcClientSettings settings, EndPoint remoteEndPoint)
        : base(pipe, transport, settings.MaxFrameSize, settings.SerializerOptions)
    {
        _lock = Sender.SyncRoot;
        Sender.SendRequestsInParts(() => _pending.Count);
        Settings = settings;
        RemoteEndPoint = remoteEndPoint;
        StreamWindowSize = settings.StreamWindowSize;
        MaxMetadataSize = settings.MaxMetadataSize;
        Interceptors = settings.Interceptors;
        KeepAlive = settings.KeepAlive;
    }

    protected override bool ReadsInCreatorContext => true;

    public RpcClientSettings Settings { get; }

    /// <summary>
    /// A call on this connection failed because it dropped: the first such call takes a token from the retry
    /// budget for the whole connection, the others only check it. True when a retry is allowed.
    /// </summary>
    public bool ChargeRetryBudget(RpcRetryBudget budget) =>
        Interlocked.Exchange(ref _retryBudgetCharged, 1) == 0 ? budget.OnFailure() : budget.AllowsRetry;

    /// <summary>True when the connection runs over TLS.</summary>
    public bool IsSecure { get; init; }

    /// <summary>The server's endpoint.</summary>
    public EndPoint RemoteEndPoint { get; }

    public int StreamWindowSize { get; }

    public int MaxMetadataSize { get; }

    /// <summary>The client interceptors; null when none are registered.</summary>
    public RpcClientInterceptorPipeline? Interceptors { get; }

    /// <summary>Calls waiting for a response on this connection, unary and streaming; read racily, for a balancer's choice.</summary>
    public int CallsInFlight => _pending.Count + _streams.Count;

    /// <summary>
    /// True once the server sent GoAway: it takes no new calls on this connection, which serves the calls it
    /// accepted until they finish. Its owner moves new calls elsewhere.
    /// </summary>
    public bool IsDraining => Volatile.Read(ref _draining);

    /// <summary>Runs once, on the read loop, when the server's first GoAway arrives (see <see cref="IsDraining"/>).</summary>
    public Action<RpcClientConnection>? GoAwayReceived { get; set; }

    /// <summary>
    /// Starts a unary call: assigns it an id, adds it to the pending table and queues its request, under one lock,
    /// so that the request is queued before any Cancel for it and its response always finds it. Returns why the
    /// call cannot start.
    /// </summary>
    /// <remarks>With <paramref name="keepRequest"/>, <paramref name="request"/> still holds the frame afterwards, to be sent again on a retry.</remarks>
    public RpcException? TryStartCall(RpcOutgoingCall call, RpcFrameBuffer request, RpcFrameFlags flags, CancellationToken cancellationToken, bool keepRequest)
    {
        RpcException? failure;
        bool mustSend;
        using (_lock.EnterScope())
        {
            // Checked under the lock: a cancellation that fires after this finds the call in the table.
            failure = QueueRequestLocked(_pending, call, call.Context, call.Method, request, flags, cancellationToken.IsCancellationRequested, keepRequest, out uint callId, out mustSend);
            if (failure is null)
            {
                call.CallId = callId;
            }
        }
        SendQueued(mustSend);
        return failure;
    }

    /// <summary>Starts a streaming call, as <see cref="TryStartCall"/> starts a unary one.</summary>
    public RpcException? TryStartStream(RpcClientStreamCall stream, RpcFrameFlags flags)
    {
        RpcException? failure;
        bool mustSend;
        using (_lock.EnterScope())
        {
            failure = QueueRequestLocked(_streams, stream, stream.Context, stream.Method, stream.Request, flags, stream.IsCancellationRequested, keepRequest: false, out uint callId, out mustSend);
            if (failure is null)
            {
                stream.CallId = callId;
                if (stream.Responses is { } responses)
                {
                    responses.CallId = callId;
                }
            }
        }
        SendQueued(mustSend);
        return failure;
    }

    /// <summary>Queues a one-way request, which waits for nothing. Returns why it could not be queued.</summary>
    public RpcException? SendOneWay(RpcFrameBuffer request, RpcMethodDescriptor method, RpcFrameFlags flags, RpcClientCallContext? context)
    {
        RpcException? failure;
        bool mustSend;
        using (_lock.EnterScope())
        {
            failure = QueueRequestLocked<RpcOutgoingCall>(null, null, context, method, request, flags | RpcFrameFlags.OneWay, cancelled: false, keepRequest: false, out _, out mustSend);
        }
        SendQueued(mustSend);
        return failure;
    }

    /// <summary>
    /// The one way a request reaches the send queue, under the sender's lock: refused once the connection stopped
    /// taking calls, failed when the call was cancelled or its deadline passed, else given the next call id, added
    /// to its table (a one-way request has none) and queued, in that order, so a response or a Cancel always finds it.
    /// </summary>
    private RpcException? QueueRequestLocked<TCall>(RpcCallTable<TCall>? table, TCall? call, RpcClientCallContext? context, RpcMethodDescriptor method,
        RpcFrameBuffer request, RpcFrameFlags flags, bool cancelled, bool keepRequest, out uint callId, out bool mustSend) where TCall : class
    {
        callId = 0;
        mustSend = false;
        if (_refusal is not null)
        {
            return new RpcRefusedException(_refusal);
        }
        if (cancelled)
        {
            return RpcOutgoingCall.CreateCancelled();
        }
        if (context is { DeadlinePassed: true })
        {
            return CreateDeadlineExceeded(method);
        }
        callId = NextCallId();
        if (table is not null && !table.TryAdd(callId, call!))
        {
            return CreateIdInUse(callId);
        }
        RpcFrameBuffer sealedRequest = request.Seal(RpcFrameType.Request, flags, callId, method.Id);
        bool queued = keepRequest
            ? Sender.TryEnqueueKeepingLocked(sealedRequest, deferSend: false, out mustSend)
            : Sender.TryEnqueueLocked(sealedRequest, deferSend: false, out mustSend);
        if (!queued)
        {
            table?.Remove(callId);
            return new RpcRefusedException("The connection is closed.");
        }
        if (context is not null)
        {
            context.CallId = callId;
            context.Connection = this;
        }
        return null;
    }

    // Sent outside the lock: a failed send closes the connection, which takes the lock to fail the pending calls.
    private void SendQueued(bool mustSend)
    {
        if (mustSend)
        {
            Sender.Send();
        }
    }

    private uint NextCallId()
    {
        // 0 means "no call" in connection frames; a connection that outlives 4 billion calls wraps past it.
        if (++_lastCallId == 0)
        {
            _lastCallId = 1;
        }
        return _lastCallId;
    }

    // Only after four billion calls on one connection, with the call that had this id then still running.
    private static RpcException CreateIdInUse(uint callId) =>
        new(RpcStatusCode.ResourceExhausted, $"Call id {callId} is still in use by an earlier call.");

    internal static RpcException CreateDeadlineExceeded(RpcMethodDescriptor method) =>
        new(RpcStatusCode.DeadlineExceeded, $"The deadline of the call to {method} passed.");

    /// <summary>Takes the call out of the pending table if it is still there; the caller then completes it.</summary>
    public bool TryRemovePending(RpcOutgoingCall call, out uint callId)
    {
        using (_lock.EnterScope())
        {
            callId = call.CallId;
            return callId != 0 && _pending.Remove(callId, call);
        }
    }

    /// <summary>Takes the stream out of its table if it is still there; the caller then completes it.</summary>
    public bool TryRemoveStream(RpcClientStreamCall stream)
    {
        using (_lock.EnterScope())
        {
            return RemoveStreamLocked(stream);
        }
    }

    private bool RemoveStreamLocked(RpcClientStreamCall stream)
    {
        uint callId = stream.CallId;
        return callId != 0 && _streams.Remove(callId, stream);
    }

    /// <summary>
    /// A stream's deadline timer fired: takes it out of the table (true), or, when it has not started yet, marks
    /// its deadline as passed so that it never starts.
    /// </summary>
    public bool TryExpireStream(RpcClientStreamCall stream)
    {
        using (_lock.EnterScope())
        {
            if (stream.CallId == 0 && stream.Context is { } context)
            {
                context.DeadlinePassed = true;
                return false;
            }
            return RemoveStreamLocked(stream);
        }
    }

    /// <summary>A unary call's deadline timer fired: fails the call if it is still pending (the context's call).</summary>
    public void OnUnaryDeadline(RpcClientCallContext context)
    {
        RpcOutgoingCall? expired = null;
        using (_lock.EnterScope())
        {
            uint callId = context.CallId;
            if (callId == 0)
            {
                context.DeadlinePassed = true;
                return;
            }
            // The identity check matters: the pooled call object may be serving another call by now.
            if (_pending.Find(callId) is { } found && found.Context == context)
            {
                _pending.Remove(callId);
                expired = found;
            }
        }
        if (expired is not null)
        {
            SendCancel(context.CallId);
            expired.CompleteWithException(CreateDeadlineExceeded(context.Method));
        }
    }

    public void SendCancel(uint callId) => TryEnqueue(RpcControlFrames.CreateEmpty(RpcFrameType.Cancel, callId, 0));

    private RpcOutgoingCall? RemovePending(uint callId)
    {
        using (_lock.EnterScope())
        {
            return _pending.Remove(callId);
        }
    }

    private RpcClientStreamCall? RemoveStream(uint callId)
    {
        using (_lock.EnterScope())
        {
            return _streams.Remove(callId);
        }
    }

    private RpcClientStreamCall? FindStream(uint callId)
    {
        using (_lock.EnterScope())
        {
            return _streams.Find(callId);
        }
    }

    protected override void OnFrame(in RpcFrameHeader header, ReadOnlySpan<byte> payload)
    {
        switch (header.Type)
        {
            case RpcFrameType.Response:
                // A call cancelled or failed meanwhile is no longer in a table; its late response is dropped.
                RpcOutgoingCall? call = RemovePending(header.CallId);
                if (call is not null)
                {
                    if (call.CompleteWithPayload(header.Flags, payload) is { } resume)
                    {
                        Defer(resume);
                    }
                }
                else
                {
                    RemoveStream(header.CallId)?.OnResponse(header.Flags, payload);
                }
                break;
            case RpcFrameType.Error:
                OnError(header, payload);
                break;
            case RpcFrameType.StreamItem:
                if ((header.Flags & RpcFrameFlags.EndOfStream) != 0)
                {
                    throw new RpcProtocolException(RpcStatusCode.Internal, "A StreamItem must not carry the EndOfStream flag; a stream ends with StreamEnd.");
                }
                FindStream(header.CallId)?.OnItem(payload);
                break;
            case RpcFrameType.StreamEnd:
                RpcClientStreamCall.CheckEndOfStream(header.Flags);
                RemoveStream(header.CallId)?.OnStreamEnd(header.Flags, payload);
                break;
            case RpcFrameType.WindowUpdate:
                uint increment = RpcControlFrames.ReadWindowUpdate(payload);
                if (header.CallId != 0)
                {
                    FindStream(header.CallId)?.OnWindowUpdate(increment);
                }
                break;
            case RpcFrameType.Headers:
                OnHeaders(header.CallId, payload);
                break;
            case RpcFrameType.Ping:
                TryEnqueue(RpcControlFrames.CreatePingOrPong(RpcFrameType.Pong, payload));
                break;
            case RpcFrameType.Pong:
                break;
            case RpcFrameType.GoAway:
                OnGoAway(header.CallId, payload);
                break;
            case RpcFrameType.Request or RpcFrameType.Cancel:
                throw new RpcProtocolException(RpcStatusCode.Internal, $"A server must not send {header.Type} frames.");
            default:
                throw new RpcProtocolException(RpcStatusCode.Internal, $"Frame type {(byte)header.Type} is not supported by this version.");
        }
    }

    private void OnError(in RpcFrameHeader header, ReadOnlySpan<byte> payload)
    {
        RpcOutgoingCall? call = RemovePending(header.CallId);
        if (call is not null)
        {
            call.Fail(ReadError(header.Flags, payload));
            return;
        }
        RpcClientStreamCall? stream = RemoveStream(header.CallId);
        stream?.OnError(ReadError(header.Flags, payload));
    }

    private RpcException ReadError(RpcFrameFlags flags, ReadOnlySpan<byte> payload)
    {
        RpcMetadata? trailers = null;
        try
        {
            if ((flags & RpcFrameFlags.HasMetadata) != 0)
            {
                trailers = RpcMetadataCodec.Read(payload, SerializerOptions, MaxMetadataSize, out int consumed);
                payload = payload.Slice(consumed);
            }
            (RpcStatusCode status, string message, string? detail) = RpcControlFrames.ReadError(payload, SerializerOptions);
            return new RpcException(status, message, trailers) { ServerDetail = detail };
        }
        catch (RpcSerializationException ex)
        {
            return new RpcException(RpcStatusCode.Internal, "The server sent a malformed Error frame: " + ex.Message, ex);
        }
        catch (RpcException ex)
        {
            return ex;
        }
    }

    private void OnHeaders(uint callId, ReadOnlySpan<byte> payload)
    {
        RpcMetadata headers;
        try
        {
            headers = RpcMetadataCodec.Read(payload, SerializerOptions, MaxMetadataSize, out int consumed);
            if (consumed != payload.Length)
            {
                throw new RpcSerializationException("A Headers frame has bytes after its metadata block.");
            }
        }
        catch (Exception ex) when (ex is RpcSerializationException or RpcException)
        {
            // The call cannot trust the rest of its answer: fail it, keep the connection.
            RpcException failure = new(ex is RpcException rpc ? rpc.StatusCode : RpcStatusCode.Internal, "The server sent unreadable response headers: " + ex.Message, ex);
            RpcOutgoingCall? call = RemovePending(callId);
            if (call is not null)
            {
                SendCancel(callId);
                call.CompleteWithException(failure);
            }
            else if (RemoveStream(callId) is { } failed)
            {
                failed.FailFromHeaders(failure);
            }
            return;
        }

        RpcClientStreamCall? stream;
        using (_lock.EnterScope())
        {
            // Set under the lock: a pooled unary call cannot complete and be reused meanwhile.
            if (_pending.Find(callId) is { } call)
            {
                call.SetResponseHeaders(headers);
                return;
            }
            stream = _streams.Find(callId);
        }
        stream?.OnHeaders(headers);
    }

    private void OnGoAway(uint lastAcceptedCallId, ReadOnlySpan<byte> payload)
    {
        string message;
        try
        {
            message = RpcControlFrames.ReadGoAway(payload, SerializerOptions).Message;
        }
        catch (RpcSerializationException)
        {
            message = "(malformed GoAway)";
        }
        string refusal = "The server is going away: " + message;

        // The first GoAway (usually "no new calls", last id uint.MaxValue) turns new calls away from this
        // connection; calls after the last one the server accepted will never be answered: they fail as refused,
        // which lets them be sent again elsewhere (the server never saw them).
        List<RpcOutgoingCall>? unanswered;
        List<RpcClientStreamCall>? unansweredStreams;
        bool first;
        using (_lock.EnterScope())
        {
            first = !_draining;
            _draining = true;
            _refusal ??= refusal;
            unanswered = _pending.RemoveAbove(lastAcceptedCallId);
            unansweredStreams = _streams.RemoveAbove(lastAcceptedCallId);
        }
        if (first)
        {
            Diagnostics.RpcLog.GoAwayReceived(Logger, Side, Remote, message);
            GoAwayReceived?.Invoke(this);
        }
        if (unanswered is not null)
        {
            foreach (RpcOutgoingCall call in unanswered)
            {
                call.Fail(new RpcRefusedException(refusal));
            }
        }
        if (unansweredStreams is not null)
        {
            foreach (RpcClientStreamCall stream in unansweredStreams)
            {
                stream.OnConnectionFailed(new RpcException(RpcStatusCode.Unavailable, refusal));
            }
        }
    }

    protected override void OnFrameTooLarge(in RpcFrameHeader header)
    {
        // The frame's own call learns why; the others fail with the connection.
        var tooLarge = new RpcException(RpcStatusCode.ResourceExhausted,
            $"The response is {header.PayloadLength} bytes, over the MaxFrameSize of {MaxFrameSize} bytes.");
        RpcOutgoingCall? call = RemovePending(header.CallId);
        if (call is not null)
        {
            call.CompleteWithException(tooLarge);
        }
        else
        {
            RemoveStream(header.CallId)?.OnConnectionFailed(tooLarge);
        }
        base.OnFrameTooLarge(header);
    }

    protected override void OnClosing(RpcException reason)
    {
        List<KeyValuePair<uint, RpcOutgoingCall>> pending;
        List<KeyValuePair<uint, RpcClientStreamCall>> streams;
        using (_lock.EnterScope())
        {
            _refusal ??= reason.Message;
            pending = _pending.ToList();
            _pending.Clear();
            streams = _streams.ToList();
            _streams.Clear();
        }
        foreach (KeyValuePair<uint, RpcOutgoingCall> entry in pending)
        {
            // The server may have run these: only a retry policy may send them again.
            entry.Value.Fail(new RpcException(reason.StatusCode, reason.Message));
        }
        foreach (KeyValuePair<uint, RpcClientStreamCall> entry in streams)
        {
            entry.Value.OnConnectionClosed(this, new RpcException(reason.StatusCode, reason.Message));
        }
    }
}
