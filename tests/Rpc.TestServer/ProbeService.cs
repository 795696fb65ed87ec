using System.Collections.Concurrent;
using Rpc;

namespace Rpc.TestServer;

/// <summary>Implements <see cref="IProbe"/>, counting how often each key's handler ran.</summary>
public sealed class ProbeService : IProbe
{
    private readonly ConcurrentDictionary<string, int> _runs = new();
    private int _failures;

    public ProbeService(string name) => Name = name;

    public string Name { get; }

    public int Failures => Volatile.Read(ref _failures);

    public int Runs(string key) => _runs.TryGetValue(key, out int runs) ? runs : 0;

    /// <summary>How long WhoAsync takes, to make one instance slow.</summary>
    public int DelayMilliseconds { get; set; }

    public async ValueTask<string> WhoAsync(CancellationToken cancellationToken)
    {
        if (DelayMilliseconds > 0)
        {
            await Task.Delay(DelayMilliseconds, cancellationToken);
        }
        return Name;
    }

    public async IAsyncEnumerable<int> CountAsync(int count, int delayMilliseconds, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (int i = 0; i < count; i++)
        {
            yield return i;
            await Task.Delay(delayMilliseconds, cancellationToken);
        }
    }

    public ValueTask<string> OwnerAsync(int key, CancellationToken cancellationToken) => ValueTask.FromResult(Name);

    public ValueTask<int> ReadAsync(string key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_runs.AddOrUpdate(key, 1, static (_, n) => n + 1));

    public ValueTask<int> WriteAsync(string key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_runs.AddOrUpdate(key, 1, static (_, n) => n + 1));

    public async ValueTask<int> SleepAsync(int milliseconds, CancellationToken cancellationToken)
    {
        await Task.Delay(milliseconds, cancellationToken);
        return milliseconds;
    }

    public ValueTask<string> NameAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Name);

    public ValueTask<int> FailAsync(RpcStatusCode status, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _failures);
        throw new RpcException(status, "failing on purpose");
    }
}
