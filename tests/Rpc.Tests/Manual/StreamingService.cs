using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Rpc.Tests.Manual;

/// <summary>The streaming test implementation: ordinary async iterators, recording what the tests observe.</summary>
internal sealed class StreamingService : IStreamingService
{
    private long _produced;
    private long _uploadedChunks;
    private long _uploadedBytes;

    /// <summary>Items ProduceAsync has yielded so far.</summary>
    public long Produced => Interlocked.Read(ref _produced);

    public TaskCompletionSource ForeverStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when ForeverAsync's token fired.</summary>
    public TaskCompletionSource ForeverCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when ForeverAsync's finally block ran (its enumerator was disposed).</summary>
    public TaskCompletionSource ForeverFinished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, UploadAsync takes one chunk per release.</summary>
    public SemaphoreSlim? UploadGate { get; set; }

    public long UploadedChunks => Interlocked.Read(ref _uploadedChunks);

    public long UploadedBytes => Interlocked.Read(ref _uploadedBytes);

    public ConcurrentQueue<string> Uploads { get; } = new();

    /// <summary>Completes with the exception that ended a request stream early (cancellation), if any.</summary>
    public TaskCompletionSource<Exception> UploadFailed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async IAsyncEnumerable<int> CountAsync(int from, int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < count; i++)
        {
            if (i % 256 == 0)
            {
                await Task.Yield();
            }
            yield return from + i;
        }
    }

    public async IAsyncEnumerable<byte[]> ProduceAsync(int count, int size, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        for (int i = 0; i < count; i++)
        {
            var blob = new byte[size];
            blob[0] = (byte)i;
            Interlocked.Increment(ref _produced);
            yield return blob;
        }
    }

    public async IAsyncEnumerable<int> ForeverAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using CancellationTokenRegistration registration = cancellationToken.Register(() => ForeverCancelled.TrySetResult());
        try
        {
            ForeverStarted.TrySetResult();
            for (int i = 0; ; i++)
            {
                await Task.Delay(1, cancellationToken);
                yield return i;
            }
        }
        finally
        {
            // The registration may be removed before its callback runs (the stream can end while the token's
            // callbacks are still being invoked): the token's state is what counts.
            if (cancellationToken.IsCancellationRequested)
            {
                ForeverCancelled.TrySetResult();
            }
            ForeverFinished.TrySetResult();
        }
    }

    public async IAsyncEnumerable<int> FailAfterAsync(int items, int statusCode, string message, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < items; i++)
        {
            await Task.Yield();
            yield return i;
        }
        if (statusCode < 0)
        {
            throw new InvalidOperationException(message);
        }
        throw new RpcException((RpcStatusCode)statusCode, message);
    }

    public async Task<long> SumAsync(IAsyncEnumerable<int> values, CancellationToken cancellationToken = default)
    {
        long sum = 0;
        await foreach (int value in values.WithCancellation(cancellationToken))
        {
            sum += value;
        }
        return sum;
    }

    public async ValueTask UploadAsync(string name, IAsyncEnumerable<byte[]> chunks, CancellationToken cancellationToken = default)
    {
        try
        {
            await foreach (byte[] chunk in chunks.WithCancellation(cancellationToken))
            {
                if (UploadGate is { } gate)
                {
                    await gate.WaitAsync(cancellationToken);
                }
                Interlocked.Increment(ref _uploadedChunks);
                Interlocked.Add(ref _uploadedBytes, chunk.Length);
            }
        }
        catch (Exception ex)
        {
            UploadFailed.TrySetResult(ex);
            throw;
        }
        Uploads.Enqueue(name);
    }

    public async IAsyncEnumerable<int> AddEachAsync(int offset, IAsyncEnumerable<int> values, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (int value in values.WithCancellation(cancellationToken))
        {
            yield return value + offset;
        }
    }
}
