using System.Runtime.CompilerServices;
using Rpc;

namespace Rpc.IntegrationTests;

public record Reading(int Sequence, double Celsius);

[RpcService]
public interface ISensors
{
    IAsyncEnumerable<Reading> WatchAsync(int count, CancellationToken cancellationToken = default);
    Task<double> AverageAsync(IAsyncEnumerable<Reading> readings, CancellationToken cancellationToken = default);
    IAsyncEnumerable<string> EchoAsync(string prefix, IAsyncEnumerable<string> lines, CancellationToken cancellationToken = default);
    ValueTask<string> WhoAmIAsync();
    ValueTask<string> PlainContextAsync(int value);
    IAsyncEnumerable<int> StallingAsync(int blockMilliseconds);
}

public sealed class Sensors : ISensors
{
    public TaskCompletionSource<bool> WatchStopped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async IAsyncEnumerable<Reading> WatchAsync(int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        try
        {
            for (int i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return new Reading(i, 20 + i % 10);
                if (i % 512 == 0)
                {
                    await Task.Yield();
                }
            }
            if (count < 0)
            {
                throw new RpcException(RpcStatusCode.OutOfRange, "count must not be negative");
            }
        }
        finally
        {
            WatchStopped.TrySetResult(true);
        }
    }

    public async Task<double> AverageAsync(IAsyncEnumerable<Reading> readings, CancellationToken cancellationToken = default)
    {
        double sum = 0;
        int count = 0;
        await foreach (Reading reading in readings.WithCancellation(cancellationToken))
        {
            sum += reading.Celsius;
            count++;
        }
        return count == 0 ? 0 : sum / count;
    }

    public async IAsyncEnumerable<string> EchoAsync(string prefix, IAsyncEnumerable<string> lines, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (string line in lines.WithCancellation(cancellationToken))
        {
            yield return prefix + line;
        }
    }

    /// <summary>True once <see cref="StallingAsync"/> has finished blocking.</summary>
    public bool StallingUnblocked => Volatile.Read(ref _stallingUnblocked);

    private bool _stallingUnblocked;

    // Yields one item, then blocks its thread before the next: the first item must not wait for the second.
    public async IAsyncEnumerable<int> StallingAsync(int blockMilliseconds)
    {
        yield return 1;
        Thread.Sleep(blockMilliseconds);
        Volatile.Write(ref _stallingUnblocked, true);
        yield return 2;
        await Task.CompletedTask;
    }

    public async ValueTask<string> PlainContextAsync(int value)
    {
        // A plain call (no headers, no deadline): the context is made when the handler first asks for it.
        RpcContext context = RpcContext.Current!;
        context.ResponseHeaders.Add("value", value.ToString());
        await Task.Yield();
        return $"{RpcContext.Current?.Method.MethodName} from {(context.Peer is null ? "nowhere" : "a peer")}";
    }

    public ValueTask<string> WhoAmIAsync()
    {
        RpcContext context = RpcContext.Current!;
        context.ResponseHeaders.Add("served-by", "sensors");
        context.ResponseTrailers.Add("checksum", new byte[] { 1, 2, 3 });
        string user = context.RequestHeaders.GetString("user") ?? "anonymous";
        return ValueTask.FromResult($"{user} calling {context.Method.FullName}, deadline {(context.Deadline is null ? "none" : "set")}");
    }
}
