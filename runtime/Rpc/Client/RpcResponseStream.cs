using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Protocol;

namespace Rpc.Client;

/// <summary>
/// The responses of a server-streaming or duplex call as the caller enumerates them. Enumerating starts the call;
/// leaving early (disposing the enumerator) cancels it on the server.
/// </summary>
internal sealed class RpcResponseStream<T> : IAsyncEnumerable<T>, IAsyncEnumerator<T>
{
    private readonly RpcClientStreamCall _call;
    private Task? _interceptors;
    private int _started;
    private T _current = default!;

    public RpcResponseStream(RpcClientStreamCall call) => _call = call;

    public T Current => _current;

    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException($"The responses of a call to {_call.Method} can be enumerated once; call the method again for another stream.");
        }
        _interceptors = _call.Begin(cancellationToken, RpcClientStreamCall.SendAndWait);
        return this;
    }

    public ValueTask<bool> MoveNextAsync() => TryTake() ? new ValueTask<bool>(true) : MoveNextSlowAsync();

    private async ValueTask<bool> MoveNextSlowAsync()
    {
        RpcStreamReceiver responses = _call.Responses!;
        while (true)
        {
            await responses.WaitAsync(default).ConfigureAwait(false);
            if (TryTake())
            {
                return true;
            }
            if (responses.IsOver(out Exception? error))
            {
                _current = default!;
                if (_interceptors is not null)
                {
                    // The interceptors saw the outcome and may have replaced (or swallowed) the error.
                    await _interceptors.ConfigureAwait(false);
                    return false;
                }
                if (error is not null)
                {
                    throw error;
                }
                return false;
            }
        }
    }

    private bool TryTake()
    {
        try
        {
            return _call.Responses!.TryTake(_call.SerializerOptions, out _current);
        }
        catch (Exception ex)
        {
            var error = new RpcException(RpcStatusCode.Internal, $"A response of {_call.Method} could not be read as {typeof(T).Name}: {ex.Message}", ex);
            _call.Cancel(error);
            throw error;
        }
    }

    public ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _started) != 0)
        {
            _call.Abandon();
            if (_interceptors is { IsCompleted: false } interceptors)
            {
                // Nobody awaits the chain any more; its outcome (often Cancelled) must not go unobserved.
                _ = interceptors.ContinueWith(static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            else
            {
                _ = _interceptors?.Exception;
            }
        }
        return default;
    }
}
