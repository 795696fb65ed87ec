using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Discovery;

namespace Rpc.Tests.Discovery;

/// <summary>Reads a registry watch one set at a time, with a timeout per read, and cancels it on disposal.</summary>
internal sealed class WatchReader : IAsyncDisposable
{
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly CancellationTokenSource _cancellation = new();
    private readonly IAsyncEnumerator<IReadOnlyList<RpcServiceInstance>> _enumerator;

    internal WatchReader(IRpcServiceRegistry registry, string serviceName) =>
        _enumerator = registry.WatchAsync(serviceName, _cancellation.Token).GetAsyncEnumerator();

    /// <summary>The next set the watch yields.</summary>
    internal async Task<IReadOnlyList<RpcServiceInstance>> NextAsync()
    {
        Task<bool> next = _pending ?? _enumerator.MoveNextAsync().AsTask();
        _pending = null;
        if (!await next.WaitAsync(Timeout))
        {
            throw new InvalidOperationException("The watch ended.");
        }

        return _enumerator.Current;
    }

    /// <summary>Whether the watch yields something within <paramref name="wait"/>; the pending read is kept.</summary>
    internal Task<bool> YieldsWithinAsync(TimeSpan wait)
    {
        _pending ??= _enumerator.MoveNextAsync().AsTask();
        return Task.WhenAny(_pending, Task.Delay(wait)).ContinueWith(t => t.Result == _pending, TaskScheduler.Default);
    }

    private Task<bool>? _pending;

    /// <summary>The Ids of the next set the watch yields.</summary>
    internal async Task<string[]> NextIdsAsync() => (await NextAsync()).Select(i => i.Id).ToArray();

    public async ValueTask DisposeAsync()
    {
        _cancellation.Cancel();
        if (_pending is not null)
        {
            // An async iterator cannot be disposed while a MoveNextAsync is in flight: let the cancelled read end.
            try
            {
                await _pending.WaitAsync(Timeout);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await _enumerator.DisposeAsync();

        _cancellation.Dispose();
    }
}
