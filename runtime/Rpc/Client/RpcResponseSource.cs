using System;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;
using Rpc.Protocol;
using Rpc.Serialization;

namespace Rpc.Client;

/// <summary>What a pending call completes: the awaited result, whatever its type.</summary>
internal abstract class RpcResponseSource
{
    /// <summary>Deserializes the result from the received frame's payload (on the read loop) and completes.</summary>
    public abstract void SetResult(ReadOnlySpan<byte> payload);

    /// <summary>Fails the call.</summary>
    public abstract void SetException(Exception exception);
}

/// <summary>Marks calls with no result payload.</summary>
internal readonly struct RpcVoid
{
}

/// <summary>
/// A pooled, reusable value-task source for one call's result. It returns to its pool when the awaiter takes the
/// result, so a call that is awaited allocates nothing here. Continuations run on the thread pool, never on the
/// connection's read loop.
/// </summary>
internal sealed class RpcResponseSource<TResult> : RpcResponseSource, IValueTaskSource<TResult>, IValueTaskSource
{
    private static readonly RpcObjectPool<RpcResponseSource<TResult>> s_pool = new(RpcObjectPool.CallCapacity);

    private ManualResetValueTaskSourceCore<TResult> _core;
    private RpcSerializerOptions _options = RpcSerializerOptions.Default;

    private RpcResponseSource() => _core.RunContinuationsAsynchronously = true;

    public static RpcResponseSource<TResult> Rent(RpcSerializerOptions options)
    {
        RpcResponseSource<TResult> source = s_pool.TryRent() ?? new RpcResponseSource<TResult>();
        source._options = options;
        return source;
    }

    public ValueTask<TResult> Task => new(this, _core.Version);

    public ValueTask VoidTask => new(this, _core.Version);

    public override void SetResult(ReadOnlySpan<byte> payload)
    {
        TResult result;
        if (typeof(TResult) == typeof(RpcVoid))
        {
            result = default!;
        }
        else
        {
            try
            {
                var reader = new RpcReader(payload, _options);
                result = reader.ReadValue<TResult>()!;
            }
            catch (Exception ex)
            {
                _core.SetException(new RpcException(RpcStatusCode.Internal, $"The response could not be read as {typeof(TResult).Name}: {ex.Message}", ex));
                return;
            }
        }
        _core.SetResult(result);
    }

    public override void SetException(Exception exception) => _core.SetException(exception);

    public TResult GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            _options = RpcSerializerOptions.Default;
            s_pool.Return(this);
        }
    }

    void IValueTaskSource.GetResult(short token) => GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
