using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Discovery;

namespace Rpc.Etcd.Tests;

/// <summary>Reads a registry watch in the background, keeping every set it yields, for tests to wait on.</summary>
internal sealed class EtcdWatchReader : IAsyncDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly List<IReadOnlyList<RpcServiceInstance>> _sets = new();
    private readonly Task _reading;

    internal EtcdWatchReader(IRpcServiceRegistry registry, string serviceName) =>
        _reading = Task.Run(async () =>
        {
            await foreach (IReadOnlyList<RpcServiceInstance> set in registry.WatchAsync(serviceName, _cancellation.Token))
            {
                lock (_sets)
                {
                    _sets.Add(set);
                }
            }
        });

    /// <summary>Every set yielded so far, oldest first.</summary>
    internal IReadOnlyList<RpcServiceInstance>[] Sets
    {
        get
        {
            lock (_sets)
            {
                return _sets.ToArray();
            }
        }
    }

    /// <summary>Waits until the latest set has exactly these Ids (in order) and returns how long that took.</summary>
    internal async Task<TimeSpan> WaitForIdsAsync(TimeSpan timeout, params string[] ids)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            IReadOnlyList<RpcServiceInstance>[] sets = Sets;
            if (sets.Length > 0 && sets[^1].Select(i => i.Id).SequenceEqual(ids))
            {
                return elapsed.Elapsed;
            }

            if (_reading.IsCompleted)
            {
                await _reading; // throws what ended the watch
                throw new InvalidOperationException("The watch ended.");
            }

            if (elapsed.Elapsed > timeout)
            {
                string last = sets.Length == 0 ? "nothing yet" : "[" + string.Join(", ", sets[^1].Select(i => i.Id)) + "]";
                throw new TimeoutException($"The watch did not reach [{string.Join(", ", ids)}] within {timeout.TotalSeconds} s; its latest set: {last}.");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _cancellation.Cancel();
        try
        {
            await _reading.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }

        _cancellation.Dispose();
    }
}
