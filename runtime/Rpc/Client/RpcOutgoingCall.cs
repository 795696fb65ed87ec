using System;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Protocol;
using Rpc.Serialization;

namespace Rpc.Client;

/// <summary>
/// One call on its way out, as a generated proxy drives it: <see cref="IRpcCallInvoker.StartCall"/>, write the
/// arguments with <see cref="CreateArgumentWriter"/>, then exactly one of <see cref="InvokeAsync{TResult}"/>,
/// <see cref="InvokeAsync()"/>, <see cref="SendOneWayAsync"/> or <see cref="Abandon"/>. Instances are pooled:
/// after that last step the object belongs to the runtime again and must not be touched.
/// </summary>
public sealed class RpcOutgoingCall
{
    private static readonly RpcObjectPool<RpcOutgoingCall> s_pool = new(Math.Max(64, Environment.ProcessorCount * 8));
    private static readonly Action<object?> s_onCancelled = OnCancelled;

    private readonly RpcFrameBuffer _request = new();
    private RpcClientConnection? _connection;
    private RpcMethodDescriptor? _method;
    private RpcSerializerOptions _options = RpcSerializerOptions.Default;
    private CancellationToken _cancellationToken;
    private CancellationTokenRegistration _registration;
    private RpcResponseSource? _response;

    private RpcOutgoingCall()
    {
    }

    /// <summary>The call id on the wire; written and read under the connection's lock.</summary>
    internal uint CallId { get; set; }

    internal RpcMethodDescriptor Method => _method!;

    internal static RpcOutgoingCall Rent(RpcClientConnection connection, RpcMethodDescriptor method, RpcSerializerOptions options, CancellationToken cancellationToken)
    {
        RpcOutgoingCall call = s_pool.TryRent() ?? new RpcOutgoingCall();
        call._connection = connection;
        call._method = method;
        call._options = options;
        call._cancellationToken = cancellationToken;
        return call;
    }

    /// <summary>A writer over this call's pooled request buffer. Write the arguments in order, then call <see cref="RpcWriter.Flush"/> once.</summary>
    public RpcWriter CreateArgumentWriter() => new(_request, _options);

    /// <summary>
    /// Sends the request and completes with the result, read straight from the response frame; or throws
    /// <see cref="RpcException"/> with the call's status.
    /// </summary>
    public ValueTask<TResult> InvokeAsync<TResult>()
    {
        RpcResponseSource<TResult> source = RpcResponseSource<TResult>.Rent(_options);
        ValueTask<TResult> task = source.Task;
        Send(source);
        return task;
    }

    /// <summary>Sends the request and completes when the (empty) response arrives; or throws <see cref="RpcException"/>.</summary>
    public ValueTask InvokeAsync()
    {
        RpcResponseSource<RpcVoid> source = RpcResponseSource<RpcVoid>.Rent(_options);
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
        RpcClientConnection connection = _connection!;
        RpcException? failure = CheckSize(connection)
            ?? (_cancellationToken.IsCancellationRequested ? CreateCancelled() : null)
            ?? connection.SendOneWay(_request, _method!);
        _request.Clear();
        Recycle();
        return failure is null ? default : ValueTask.FromException(failure);
    }

    /// <summary>Releases the call without sending anything: writing the arguments threw.</summary>
    public void Abandon()
    {
        _request.Clear();
        Recycle();
    }

    private void Send(RpcResponseSource response)
    {
        _response = response;
        RpcClientConnection connection = _connection!;
        RpcException? failure = CheckSize(connection);
        if (failure is null)
        {
            if (_cancellationToken.CanBeCanceled)
            {
                _registration = _cancellationToken.UnsafeRegister(s_onCancelled, this);
            }
            // Once this succeeds the call is in the pending table and whoever takes it out completes it.
            failure = connection.TryStartCall(this, _request, _cancellationToken);
        }
        if (failure is not null)
        {
            _request.Clear();
            CompleteWithException(failure);
        }
    }

    private RpcException? CheckSize(RpcClientConnection connection) =>
        _request.PayloadLength > connection.MaxFrameSize
            ? new RpcException(RpcStatusCode.ResourceExhausted, $"The request to {_method} is {_request.PayloadLength} bytes, over the MaxFrameSize of {connection.MaxFrameSize} bytes.")
            : null;

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

    /// <summary>Completes with a response payload. Only whoever removed the call from the pending table calls this.</summary>
    internal void CompleteWithPayload(ReadOnlySpan<byte> payload) => Release().SetResult(payload);

    /// <summary>Fails the call. Only whoever removed the call from the pending table (or never added it) calls this.</summary>
    internal void CompleteWithException(Exception exception) => Release().SetException(exception);

    private RpcResponseSource Release()
    {
        // Dispose waits for a cancellation callback running on another thread, so none can run after recycling.
        _registration.Dispose();
        _registration = default;
        RpcResponseSource response = _response!;
        Recycle();
        return response;
    }

    private void Recycle()
    {
        _response = null;
        _connection = null;
        _method = null;
        _options = RpcSerializerOptions.Default;
        _cancellationToken = default;
        CallId = 0;
        s_pool.Return(this);
    }
}
