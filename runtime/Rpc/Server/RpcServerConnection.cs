using System;
using System.Collections.Generic;
using System.IO.Pipelines;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Protocol;

namespace Rpc.Server;

/// <summary>
/// The server's side of a connection: dispatches each Request to the thread pool as its own call, routes Cancel
/// frames to the call's token, and on shutdown announces GoAway and waits for the calls in flight.
/// </summary>
internal sealed class RpcServerConnection : RpcConnection
{
    private readonly IRpcMethodTable _methods;
    private readonly object _lock = new();
    private readonly Dictionary<uint, RpcServerCall> _active = new();
    private uint _lastCallId;
    private bool _draining;
    private TaskCompletionSource? _idle;

    public RpcServerConnection(IDuplexPipe pipe, IAsyncDisposable transport, RpcServerOptions options, IRpcMethodTable methods)
        : base(pipe, transport, options.MaxFrameSize, options.SerializerOptions)
    {
        _methods = methods;
        IncludeExceptionDetails = options.IncludeExceptionDetails;
    }

    public bool IncludeExceptionDetails { get; }

    protected override uint LastAcceptedCallId
    {
        get
        {
            lock (_lock)
            {
                return _lastCallId;
            }
        }
    }

    protected override void OnFrame(in RpcFrameHeader header, ReadOnlySpan<byte> payload)
    {
        switch (header.Type)
        {
            case RpcFrameType.Request:
                OnRequest(header, payload);
                break;
            case RpcFrameType.Cancel:
                lock (_lock)
                {
                    if (_active.TryGetValue(header.CallId, out RpcServerCall? call))
                    {
                        call.Cancel(byClient: true);
                    }
                }
                break;
            case RpcFrameType.Ping:
                TryEnqueue(RpcControlFrames.CreatePingOrPong(RpcFrameType.Pong, payload));
                break;
            case RpcFrameType.Pong:
            case RpcFrameType.GoAway:
                // A client's GoAway only says it is closing; its calls are cancelled when the connection ends.
                break;
            case RpcFrameType.Response or RpcFrameType.Error:
                throw new RpcProtocolException(RpcStatusCode.Internal, $"A client must not send {header.Type} frames.");
            default:
                throw new RpcProtocolException(RpcStatusCode.Internal, $"Frame type {(byte)header.Type} is not supported by this version.");
        }
    }

    private void OnRequest(in RpcFrameHeader header, ReadOnlySpan<byte> payload)
    {
        bool oneWay = (header.Flags & RpcFrameFlags.OneWay) != 0;
        if (header.CallId == 0)
        {
            throw new RpcProtocolException(RpcStatusCode.Internal, "A request must not use call id 0.");
        }
        if (!_methods.TryGetMethod(header.MethodId, out RpcServerMethod? method))
        {
            if (!oneWay)
            {
                SendError(header, RpcStatusCode.Unimplemented, $"Method {header.MethodId} is not implemented by this server.");
            }
            return;
        }
        oneWay |= method.Descriptor.Kind == RpcMethodKind.OneWay;

        RpcServerCall call = RpcServerCall.Rent(this, method, header.CallId, oneWay, payload);
        bool accepted = false;
        bool duplicate = false;
        lock (_lock)
        {
            if (!_draining)
            {
                accepted = _active.TryAdd(header.CallId, call);
                duplicate = !accepted;
                if (accepted && header.CallId > _lastCallId)
                {
                    _lastCallId = header.CallId;
                }
            }
        }
        if (!accepted)
        {
            call.Discard();
            if (duplicate)
            {
                throw new RpcProtocolException(RpcStatusCode.Internal, $"Call id {header.CallId} is already in use.");
            }
            if (!oneWay)
            {
                SendError(header, RpcStatusCode.Unavailable, "The server is shutting down.");
            }
            return;
        }
        // Handlers may block: each call runs on the thread pool so the read loop keeps reading.
        ThreadPool.UnsafeQueueUserWorkItem(call, preferLocal: false);
    }

    private void SendError(in RpcFrameHeader header, RpcStatusCode status, string message) =>
        TryEnqueue(RpcControlFrames.CreateError(new RpcFrameBuffer(), SerializerOptions, header.CallId, header.MethodId, status, message, null));

    /// <summary>Called by a call after its response is queued.</summary>
    public void OnCallFinished(RpcServerCall call)
    {
        TaskCompletionSource? idle = null;
        lock (_lock)
        {
            _active.Remove(call.CallId);
            if (_active.Count == 0)
            {
                idle = _idle;
            }
        }
        idle?.TrySetResult();
    }

    /// <summary>Stops taking calls, tells the client with a GoAway, and completes when the calls in flight are done.</summary>
    public Task BeginShutdown()
    {
        uint lastCallId;
        Task idle;
        lock (_lock)
        {
            _draining = true;
            lastCallId = _lastCallId;
            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_active.Count == 0)
            {
                _idle.TrySetResult();
            }
            idle = _idle.Task;
        }
        TryEnqueue(RpcControlFrames.CreateGoAway(SerializerOptions, lastCallId, RpcStatusCode.Unavailable, "The server is shutting down."));
        return idle;
    }

    /// <summary>Cancels the tokens of every call still running.</summary>
    public void CancelActiveCalls()
    {
        lock (_lock)
        {
            foreach (RpcServerCall call in _active.Values)
            {
                call.Cancel(byClient: false);
            }
        }
    }

    protected override void OnClosing(RpcException reason)
    {
        // Nobody can receive the results any more: let the handlers stop early.
        lock (_lock)
        {
            _draining = true;
        }
        CancelActiveCalls();
    }
}

/// <summary>How a connection finds the method a request names.</summary>
internal interface IRpcMethodTable
{
    bool TryGetMethod(uint methodId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RpcServerMethod? method);
}
