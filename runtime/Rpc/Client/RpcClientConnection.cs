using System;
using System.Collections.Generic;
using System.IO.Pipelines;
using System.Threading;
using Rpc.Protocol;
using Rpc.Serialization;

namespace Rpc.Client;

/// <summary>
/// The client's side of a connection: assigns call ids, keeps the table of calls waiting for a response, and
/// completes them from Response and Error frames, or all at once when the connection closes.
/// </summary>
internal sealed class RpcClientConnection : RpcConnection
{
    private readonly object _lock = new();
    private readonly Dictionary<uint, RpcOutgoingCall> _pending = new();
    private uint _lastCallId;
    private string? _refusal;

    public RpcClientConnection(IDuplexPipe pipe, IAsyncDisposable transport, RpcClientOptions options)
        : base(pipe, transport, options.MaxFrameSize, options.SerializerOptions)
    {
    }

    /// <summary>
    /// Assigns the call an id, adds it to the pending table and queues its request, under one lock: the request
    /// is queued before any Cancel for it, and its response always finds it. Returns why the call cannot start.
    /// </summary>
    public RpcException? TryStartCall(RpcOutgoingCall call, RpcFrameBuffer request, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_refusal is not null)
            {
                return new RpcException(RpcStatusCode.Unavailable, _refusal);
            }
            // Checked under the lock: a cancellation that fires after this finds the call in the table.
            if (cancellationToken.IsCancellationRequested)
            {
                return RpcOutgoingCall.CreateCancelled();
            }
            uint callId = NextCallId();
            if (!TryEnqueue(request.Detach(RpcFrameType.Request, RpcFrameFlags.None, callId, call.Method.Id)))
            {
                return new RpcException(RpcStatusCode.Unavailable, "The connection is closed.");
            }
            call.CallId = callId;
            _pending.Add(callId, call);
            return null;
        }
    }

    /// <summary>Queues a one-way request. Returns why it could not be queued.</summary>
    public RpcException? SendOneWay(RpcFrameBuffer request, RpcMethodDescriptor method)
    {
        lock (_lock)
        {
            if (_refusal is not null)
            {
                return new RpcException(RpcStatusCode.Unavailable, _refusal);
            }
            return TryEnqueue(request.Detach(RpcFrameType.Request, RpcFrameFlags.OneWay, NextCallId(), method.Id))
                ? null
                : new RpcException(RpcStatusCode.Unavailable, "The connection is closed.");
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

    /// <summary>Takes the call out of the pending table if it is still there; the caller then completes it.</summary>
    public bool TryRemovePending(RpcOutgoingCall call, out uint callId)
    {
        lock (_lock)
        {
            callId = call.CallId;
            if (callId != 0 && _pending.TryGetValue(callId, out RpcOutgoingCall? found) && found == call)
            {
                _pending.Remove(callId);
                return true;
            }
            return false;
        }
    }

    public void SendCancel(uint callId) => TryEnqueue(RpcControlFrames.CreateEmpty(RpcFrameType.Cancel, callId, 0));

    private RpcOutgoingCall? RemovePending(uint callId)
    {
        lock (_lock)
        {
            return _pending.Remove(callId, out RpcOutgoingCall? call) ? call : null;
        }
    }

    protected override void OnFrame(in RpcFrameHeader header, ReadOnlySpan<byte> payload)
    {
        switch (header.Type)
        {
            case RpcFrameType.Response:
                // A call cancelled or failed meanwhile is no longer in the table; its late response is dropped.
                RemovePending(header.CallId)?.CompleteWithPayload(payload);
                break;
            case RpcFrameType.Error:
                RemovePending(header.CallId)?.CompleteWithException(ReadError(payload));
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

    private RpcException ReadError(ReadOnlySpan<byte> payload)
    {
        try
        {
            (RpcStatusCode status, string message, string? detail) = RpcControlFrames.ReadError(payload, SerializerOptions);
            return new RpcException(status, message) { ServerDetail = detail };
        }
        catch (RpcSerializationException ex)
        {
            return new RpcException(RpcStatusCode.Internal, "The server sent a malformed Error frame: " + ex.Message, ex);
        }
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

        // Calls after the last one the server accepted will never be answered: fail them now.
        List<RpcOutgoingCall>? unanswered = null;
        lock (_lock)
        {
            _refusal ??= refusal;
            foreach (KeyValuePair<uint, RpcOutgoingCall> entry in _pending)
            {
                if (entry.Key > lastAcceptedCallId)
                {
                    (unanswered ??= new()).Add(entry.Value);
                }
            }
            if (unanswered is not null)
            {
                foreach (RpcOutgoingCall call in unanswered)
                {
                    _pending.Remove(call.CallId);
                }
            }
        }
        if (unanswered is not null)
        {
            foreach (RpcOutgoingCall call in unanswered)
            {
                call.CompleteWithException(new RpcException(RpcStatusCode.Unavailable, refusal));
            }
        }
    }

    protected override void OnFrameTooLarge(in RpcFrameHeader header)
    {
        // The frame's own call learns why; the others fail with the connection.
        RemovePending(header.CallId)?.CompleteWithException(new RpcException(RpcStatusCode.ResourceExhausted,
            $"The response is {header.PayloadLength} bytes, over the MaxFrameSize of {MaxFrameSize} bytes."));
        base.OnFrameTooLarge(header);
    }

    protected override void OnClosing(RpcException reason)
    {
        RpcOutgoingCall[] pending;
        lock (_lock)
        {
            _refusal ??= reason.Message;
            pending = new RpcOutgoingCall[_pending.Count];
            _pending.Values.CopyTo(pending, 0);
            _pending.Clear();
        }
        foreach (RpcOutgoingCall call in pending)
        {
            call.CompleteWithException(new RpcException(reason.StatusCode, reason.Message));
        }
    }
}
