using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Protocol;
using Rpc.Serialization;

namespace Rpc.Server;

/// <summary>
/// A client's request stream as a handler enumerates it (once). Items are deserialized as they are taken, and
/// taking them returns flow-control credit to the client. It ends when the client ends its stream; it throws
/// <see cref="OperationCanceledException"/> when the call is cancelled, and <see cref="RpcException"/>
/// (<see cref="RpcStatusCode.InvalidArgument"/>) for an item that cannot be read.
/// </summary>
internal sealed class RpcRequestStream<T> : IAsyncEnumerable<T>, IAsyncEnumerator<T>
{
    private readonly RpcStreamReceiver _receiver;
    private readonly RpcSerializerOptions _options;
    private readonly RpcMethodDescriptor _method;
    private CancellationToken _cancellationToken;
    private int _started;
    private T _current = default!;

    public RpcRequestStream(RpcStreamReceiver receiver, RpcSerializerOptions options, RpcMethodDescriptor method)
    {
        _receiver = receiver;
        _options = options;
        _method = method;
    }

    public T Current => _current;

    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException($"The request stream of {_method} can be enumerated once.");
        }
        _cancellationToken = cancellationToken;
        return this;
    }

    public ValueTask<bool> MoveNextAsync() => TryTake() ? new ValueTask<bool>(true) : MoveNextSlowAsync();

    private async ValueTask<bool> MoveNextSlowAsync()
    {
        while (true)
        {
            await _receiver.WaitAsync(_cancellationToken).ConfigureAwait(false);
            if (TryTake())
            {
                return true;
            }
            if (_receiver.IsOver(out Exception? error))
            {
                _current = default!;
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
            return _receiver.TryTake(_options, out _current);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw new RpcException(RpcStatusCode.InvalidArgument, $"A request stream item of {_method} could not be read as {typeof(T).Name}: {ex.Message}", ex);
        }
    }

    public ValueTask DisposeAsync() => default;
}
