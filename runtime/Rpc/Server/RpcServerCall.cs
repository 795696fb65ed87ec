using System;
using System.Buffers;
using System.Threading;
using Rpc.Protocol;
using Rpc.Serialization;

namespace Rpc.Server;

/// <summary>
/// One request being served: a pooled thread-pool work item that owns a copy of the request payload, the call's
/// cancellation source and a frame buffer for the response. It completes exactly once, with a result, no result,
/// or an exception mapped to a status, and then returns to the pool.
/// </summary>
internal sealed class RpcServerCall : IThreadPoolWorkItem
{
    private const string HandlerExceptionMessage = "Exception was thrown by handler.";

    private static readonly RpcObjectPool<RpcServerCall> s_pool = new(Math.Max(64, Environment.ProcessorCount * 8));

    private readonly RpcFrameBuffer _response = new();
    private CancellationTokenSource _cancellation = new();
    private RpcServerConnection? _connection;
    private RpcServerMethod? _method;
    private byte[]? _payload;
    private int _payloadLength;
    private bool _oneWay;
    private volatile bool _cancelledByClient;
    private volatile bool _cancelledByServer;

    private RpcServerCall()
    {
    }

    public uint CallId { get; private set; }

    public ReadOnlySpan<byte> Payload => _payload.AsSpan(0, _payloadLength);

    public RpcSerializerOptions SerializerOptions => _connection!.SerializerOptions;

    public CancellationToken CancellationToken { get; private set; }

    /// <summary>Takes a call from the pool and copies the request payload into a pooled array.</summary>
    public static RpcServerCall Rent(RpcServerConnection connection, RpcServerMethod method, uint callId, bool oneWay, ReadOnlySpan<byte> payload)
    {
        RpcServerCall call = s_pool.TryRent() ?? new RpcServerCall();
        call._connection = connection;
        call._method = method;
        call.CallId = callId;
        call._oneWay = oneWay;
        call.CancellationToken = call._cancellation.Token;
        byte[] copy = ArrayPool<byte>.Shared.Rent(Math.Max(payload.Length, 1));
        payload.CopyTo(copy);
        call._payload = copy;
        call._payloadLength = payload.Length;
        return call;
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
        if (payload is not null)
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
    }

    public void CompleteWithResult<TResult>(TResult result)
    {
        if (!ShouldRespond)
        {
            Finish();
            return;
        }
        try
        {
            var writer = new RpcWriter(_response, SerializerOptions);
            writer.WriteValue(result);
            writer.Flush();
        }
        catch (Exception ex)
        {
            _response.Clear();
            SendError(RpcStatusCode.Internal, "The result could not be serialized.", ex);
            Finish();
            return;
        }
        SendResponse();
        Finish();
    }

    public void CompleteWithoutResult()
    {
        if (ShouldRespond)
        {
            SendResponse();
        }
        Finish();
    }

    /// <summary>Maps a handler's exception to a status and sends it as an Error frame.</summary>
    public void CompleteWithException(Exception exception, bool readingArguments)
    {
        if (ShouldRespond)
        {
            if (readingArguments && exception is RpcSerializationException)
            {
                SendError(RpcStatusCode.InvalidArgument, $"The arguments of {_method!.Descriptor} could not be read: {exception.Message}", exception);
            }
            else if (exception is RpcException rpc)
            {
                SendError(rpc.StatusCode, rpc.Message, exception, rpc.ServerDetail);
            }
            else if (exception is OperationCanceledException && CancellationToken.IsCancellationRequested)
            {
                // The client did not cancel (it would not be waiting for this answer): the server gave up on the call.
                SendError(_cancelledByServer ? RpcStatusCode.Unavailable : RpcStatusCode.Cancelled,
                    _cancelledByServer ? "The server shut down before the call finished." : "The call was cancelled.", exception);
            }
            else
            {
                SendError(RpcStatusCode.Unknown, HandlerExceptionMessage, exception);
            }
        }
        Finish();
    }

    // A one-way call is never answered, and a call the client cancelled is no longer awaited.
    private bool ShouldRespond => !_oneWay && !_cancelledByClient;

    private void SendResponse()
    {
        RpcServerConnection connection = _connection!;
        if (_response.PayloadLength > connection.MaxFrameSize)
        {
            int length = _response.PayloadLength;
            _response.Clear();
            SendError(RpcStatusCode.ResourceExhausted, $"The result of {_method!.Descriptor} is {length} bytes, over the MaxFrameSize of {connection.MaxFrameSize} bytes.", null);
            return;
        }
        connection.TryEnqueue(_response.Detach(RpcFrameType.Response, RpcFrameFlags.None, CallId, _method!.Descriptor.Id));
    }

    private void SendError(RpcStatusCode status, string message, Exception? exception, string? detail = null)
    {
        RpcServerConnection connection = _connection!;
        if (connection.IncludeExceptionDetails && exception is not null)
        {
            detail = exception.ToString();
        }
        connection.TryEnqueue(RpcControlFrames.CreateError(_response, connection.SerializerOptions, CallId, _method!.Descriptor.Id, status, message, detail));
    }

    /// <summary>Returns a call that was never started to the pool.</summary>
    public void Discard()
    {
        ReleasePayload();
        Reset();
    }

    private void Finish()
    {
        _connection!.OnCallFinished(this);
        ReleasePayload();
        Reset();
    }

    private void Reset()
    {
        // After OnCallFinished nobody can cancel this call any more, so the source can be reset for the next one.
        if (!_cancellation.TryReset())
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
