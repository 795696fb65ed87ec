using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Rpc.Hosting.Tests;

/// <summary>What the services of one host did: per host, so that tests running in parallel do not mix their counts.</summary>
public sealed class ProbeLog
{
    private int _lastId;
    private int _running;

    public ConcurrentDictionary<int, bool> Disposed { get; } = new();

    /// <summary>Completes once <see cref="Running"/> reaches the count set by <see cref="WaitForRunning"/>.</summary>
    private TaskCompletionSource? _runningReached;
    private int _runningTarget = int.MaxValue;

    /// <summary>Opened by a test to let <see cref="ITestGreeter.StreamUntilReleasedAsync"/> go on.</summary>
    public TaskCompletionSource StreamGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int NextId() => Interlocked.Increment(ref _lastId);

    public int Running => Volatile.Read(ref _running);

    public Task WaitForRunning(int count)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _runningReached = reached;
        Volatile.Write(ref _runningTarget, count);
        if (Running >= count)
        {
            reached.TrySetResult();
        }
        return reached.Task;
    }

    public void Enter()
    {
        if (Interlocked.Increment(ref _running) >= Volatile.Read(ref _runningTarget))
        {
            _runningReached?.TrySetResult();
        }
    }

    public void Exit() => Interlocked.Decrement(ref _running);
}

/// <summary>A scoped dependency: records its disposal.</summary>
public sealed class ScopedProbe(ProbeLog log) : IDisposable
{
    public int Id { get; } = log.NextId();

    public bool IsDisposed { get; private set; }

    public void Dispose()
    {
        IsDisposed = true;
        log.Disposed[Id] = true;
    }
}

public sealed class TestGreeterService(ScopedProbe probe, ProbeLog log) : ITestGreeter
{
    private static int s_lastServiceId;

    public int ServiceId { get; } = Interlocked.Increment(ref s_lastServiceId);

    /// <summary>The name <see cref="HelloAsync"/> answers with <see cref="RpcStatusCode.NotFound"/>.</summary>
    public const string NotFoundName = "!not-found";

    public ValueTask<Greeting> HelloAsync(string name, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(probe.IsDisposed, probe);
        if (name == NotFoundName)
        {
            throw new RpcException(RpcStatusCode.NotFound, "Nobody by that name.");
        }
        return ValueTask.FromResult(new Greeting($"Hello, {name}!", probe.Id, ServiceId));
    }

    public async ValueTask<int> SlowAsync(int milliseconds)
    {
        log.Enter();
        try
        {
            await Task.Delay(milliseconds);
            ObjectDisposedException.ThrowIf(probe.IsDisposed, probe);
            return milliseconds;
        }
        finally
        {
            log.Exit();
        }
    }

    public async IAsyncEnumerable<Greeting> StreamUntilReleasedAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        yield return new Greeting("first", probe.Id, ServiceId);
        await log.StreamGate.Task.WaitAsync(cancellationToken);
        ObjectDisposedException.ThrowIf(probe.IsDisposed, probe);
        yield return new Greeting("second", probe.Id, ServiceId);
    }
}

public sealed class TestCounterService : ITestCounter
{
    private int _next;

    public ValueTask<int> NextAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(Interlocked.Increment(ref _next));
}

/// <summary>A service whose construction fails, for activation errors.</summary>
public sealed class BrokenGreeterService : ITestGreeter
{
    public BrokenGreeterService() => throw new InvalidOperationException("This service cannot be made.");

    public ValueTask<Greeting> HelloAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public ValueTask<int> SlowAsync(int milliseconds) => throw new NotSupportedException();

    public IAsyncEnumerable<Greeting> StreamUntilReleasedAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
