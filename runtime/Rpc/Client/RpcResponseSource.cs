using System;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;
using Rpc.Protocol;
using Rpc.Serialization;

namespace Rpc.Client;

/// <summary>What a pending call completes: the awaited result, whatever its type.</summary>
internal abstract class RpcResponseSource : IThreadPoolWorkItem
{
    /// <summary>Back to the pool of its type, free of the call that kept it (the call now needs another result type).</summary>
    public abstract void ReturnToPool();

    /// <summary>
    /// Deserializes the result from the received frame's payload (on the read loop) and keeps it: the caller is
    /// resumed when the connection runs this source as work (<see cref="IThreadPoolWorkItem.Execute"/>), inline.
    /// </summary>
    public abstract void ReadResult(ReadOnlySpan<byte> payload);

    /// <summary>Fails the call; the caller resumes on the thread pool.</summary>
    public abstract void SetException(Exception exception);

    /// <summary>Resumes the caller with what <see cref="ReadResult"/> kept, on this thread.</summary>
    public abstract void Execute();
}

/// <summary>Marks calls with no result payload.</summary>
internal readonly struct RpcVoid
{
}

/// <summary>
/// A pooled, reusable value-task source for one call's result, kept by the pooled <see cref="RpcOutgoingCall"/>
/// that rented it: when the awaiter takes the result, that call goes back to its pool with the source, so a call
/// that is awaited allocates nothing here. A response resumes the caller inline on the thread that runs the read's
/// batch (never the read loop itself); failures from elsewhere (a cancellation, a deadline, a closed connection)
/// resume it on the thread pool.
/// </summary>
internal sealed class RpcResponseSource<TResult> : RpcResponseSource, IValueTaskSource<TResult>, IValueTaskSource
{
    private static readonly RpcObjectPool<RpcResponseSource<TResult>> s_pool = new(RpcObjectPool.CallCapacity, perThreadCache: true);

    private readonly RpcFormatterCache<TResult> _formatter = new();
    private ManualResetValueTaskSourceCore<TResult> _core;
    private RpcSerializerOptions _options = RpcSerializerOptions.Default;
    private TResult? _result;
    private Exception? _readFailure;

    // The call that keeps this source; null while the source is in its pool.
    private RpcOutgoingCall? _call;

    private RpcResponseSource() => _core.RunContinuationsAsynchronously = true;

    /// <summary>A source that <paramref name="call"/> keeps until it returns it (<see cref="ReturnToPool"/>).</summary>
    public static RpcResponseSource<TResult> Rent(RpcOutgoingCall call)
    {
        RpcResponseSource<TResult> source = s_pool.TryRent() ?? new RpcResponseSource<TResult>();
        source._call = call;
        return source;
    }

    /// <summary>Before each call that awaits this source.</summary>
    public void Prepare(RpcSerializerOptions options)
    {
        // Mostly the options of the last call: a store only when they differ spares a write barrier.
        if (!ReferenceEquals(_options, options))
        {
            _options = options;
        }
    }

    public override void ReturnToPool()
    {
        _call = null;
        s_pool.Return(this);
    }

    public ValueTask<TResult> Task => new(this, _core.Version);

    public ValueTask VoidTask => new(this, _core.Version);

    public override void ReadResult(ReadOnlySpan<byte> payload)
    {
        if (typeof(TResult) == typeof(RpcVoid))
        {
            return;
        }
        try
        {
            var reader = new RpcReader(payload, _options);
            // A field of this pooled object keeps the formatter: shared generic code would find it afresh each time.
            _result = reader.ReadValue(_formatter)!;
        }
        catch (Exception ex)
        {
            _readFailure = new RpcException(RpcStatusCode.Internal, $"The response could not be read as {typeof(TResult).Name}: {ex.Message}", ex);
        }
    }

    public override void Execute()
    {
        _core.RunContinuationsAsynchronously = false;
        if (_readFailure is { } failure)
        {
            _readFailure = null;
            _core.SetException(failure);
            return;
        }
        TResult result = _result!;
        _result = default;
        _core.SetResult(result);
    }

    public override void SetException(Exception exception)
    {
        _core.RunContinuationsAsynchronously = true;
        _core.SetException(exception);
    }

    public TResult GetResult(short token)
    {
        // Before completion (a ValueTask's Result read too early) this throws, and the call stays in flight: the
        // call and this source must not go back to the pool while the response can still come.
        if (_core.GetStatus(token) == ValueTaskSourceStatus.Pending)
        {
            throw new InvalidOperationException("The call has not completed: await its ValueTask rather than reading its result.");
        }
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            _call!.ReturnFromSource();
        }
    }

    void IValueTaskSource.GetResult(short token) => GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
