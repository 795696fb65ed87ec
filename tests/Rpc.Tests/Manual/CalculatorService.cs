using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace Rpc.Tests.Manual;

/// <summary>The test implementation; it records what the tests need to observe on the server side.</summary>
internal sealed class CalculatorService : ICalculatorService
{
    private int _resets;

    /// <summary>Completes when a SleepAsync call starts.</summary>
    public TaskCompletionSource SleepStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a SleepAsync call saw its token cancelled.</summary>
    public TaskCompletionSource SleepCancellationObserved { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a SleepAsync call ran to its end.</summary>
    public TaskCompletionSource SleepFinished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<string> Notifications { get; } = new();

    public TaskCompletionSource NotificationReceived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a <see cref="BlockAsync"/> handler has started blocking its thread.</summary>
    public TaskCompletionSource BlockStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Resets => Volatile.Read(ref _resets);

    /// <summary>Runs inside each <see cref="AddAsync"/> handler, on its thread.</summary>
    public Action? OnAdd { get; set; }

    /// <summary>How many <see cref="AddAsync"/> handlers ran.</summary>
    public int Calls => Volatile.Read(ref _calls);

    private int _calls;

    public ValueTask<int> AddAsync(int a, int b, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        OnAdd?.Invoke();
        return new(a + b);
    }

    public async Task<string> EchoAsync(string text, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return text;
    }

    public async ValueTask SleepAsync(int milliseconds, CancellationToken cancellationToken = default)
    {
        SleepStarted.TrySetResult();
        try
        {
            await Task.Delay(milliseconds, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            SleepCancellationObserved.TrySetResult();
            throw;
        }
        SleepFinished.TrySetResult();
    }

    public async ValueTask FailAsync(int statusCode, string message, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        if (statusCode >= 0)
        {
            throw new RpcException((RpcStatusCode)statusCode, message);
        }
        throw new InvalidOperationException(message);
    }

    public ValueTask ResetAsync()
    {
        Interlocked.Increment(ref _resets);
        return default;
    }

    /// <summary>How many <see cref="GetBytesAsync"/> calls have run.</summary>
    public int BytesCalls => Volatile.Read(ref _bytesCalls);

    private int _bytesCalls;

    public ValueTask<byte[]> GetBytesAsync(int count, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _bytesCalls);
        var bytes = new byte[count];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)i;
        }
        return new(bytes);
    }

    /// <summary>True once a <see cref="BlockAsync"/> handler has stopped blocking.</summary>
    public bool BlockFinished => Volatile.Read(ref _blockFinished);

    private bool _blockFinished;

    public ValueTask<int> BlockAsync(int milliseconds)
    {
        BlockStarted.TrySetResult();
        Thread.Sleep(milliseconds);
        Volatile.Write(ref _blockFinished, true);
        return new(milliseconds);
    }

    public ValueTask NotifyAsync(string message)
    {
        Notifications.Enqueue(message);
        NotificationReceived.TrySetResult();
        return default;
    }
}
