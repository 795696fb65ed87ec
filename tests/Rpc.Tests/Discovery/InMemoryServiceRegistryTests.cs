using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Discovery;
using Xunit;

namespace Rpc.Tests.Discovery;

public sealed class InMemoryServiceRegistryTests
{
    private static RpcServiceInstance Instance(string service, int port) => new(service, new IPEndPoint(IPAddress.Loopback, port));

    [Fact]
    public async Task A_watcher_gets_the_current_set_first_even_when_it_is_empty()
    {
        var registry = new InMemoryServiceRegistry();
        await using var watch = new WatchReader(registry, "orders");
        Assert.Empty(await watch.NextAsync());
    }

    [Fact]
    public async Task A_watcher_sees_every_registration_and_deregistration_as_a_whole_set_ordered_by_id()
    {
        var registry = new InMemoryServiceRegistry();
        IAsyncDisposable b = await registry.RegisterAsync(Instance("orders", 5002));
        await using var watch = new WatchReader(registry, "orders");
        Assert.Equal(["127.0.0.1:5002"], await watch.NextIdsAsync());

        IAsyncDisposable a = await registry.RegisterAsync(Instance("orders", 5001));
        Assert.Equal(["127.0.0.1:5001", "127.0.0.1:5002"], await watch.NextIdsAsync());

        await b.DisposeAsync();
        Assert.Equal(["127.0.0.1:5001"], await watch.NextIdsAsync());
        await a.DisposeAsync();
        Assert.Empty(await watch.NextAsync());
    }

    [Fact]
    public async Task Services_do_not_see_each_others_instances()
    {
        var registry = new InMemoryServiceRegistry();
        await registry.RegisterAsync(Instance("payments", 6000));
        await using var watch = new WatchReader(registry, "orders");
        Assert.Empty(await watch.NextAsync());
        Assert.False(await watch.YieldsWithinAsync(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task A_second_registration_with_the_same_id_replaces_the_first_and_outlives_its_handle()
    {
        var registry = new InMemoryServiceRegistry();
        IAsyncDisposable first = await registry.RegisterAsync(Instance("orders", 5001) with { Weight = 1 });
        IAsyncDisposable second = await registry.RegisterAsync(Instance("orders", 5001) with { Weight = 2 });
        await using var watch = new WatchReader(registry, "orders");
        Assert.Equal(2, Assert.Single(await watch.NextAsync()).Weight);

        await first.DisposeAsync();
        Assert.False(await watch.YieldsWithinAsync(TimeSpan.FromMilliseconds(200)));
        await second.DisposeAsync();
        await second.DisposeAsync(); // twice is harmless
        Assert.True(await watch.YieldsWithinAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_slow_watcher_gets_the_latest_set_not_a_backlog()
    {
        var registry = new InMemoryServiceRegistry();
        await using var watch = new WatchReader(registry, "orders");
        Assert.Empty(await watch.NextAsync());

        var handles = new List<IAsyncDisposable>();
        for (int port = 7000; port < 7100; port++)
        {
            handles.Add(await registry.RegisterAsync(Instance("orders", port)));
        }

        // A hundred changes while the watcher did not read: it gets the last set, then nothing more.
        Assert.Equal(100, (await watch.NextAsync()).Count);
        Assert.False(await watch.YieldsWithinAsync(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task A_watch_ends_with_cancellation_when_its_token_fires()
    {
        var registry = new InMemoryServiceRegistry();
        using var cancellation = new CancellationTokenSource();
        IAsyncEnumerator<IReadOnlyList<RpcServiceInstance>> watch = registry.WatchAsync("orders", cancellation.Token).GetAsyncEnumerator();
        Assert.True(await watch.MoveNextAsync());
        ValueTask<bool> next = watch.MoveNextAsync();
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
        await watch.DisposeAsync();
    }

    [Fact]
    public async Task Many_threads_registering_at_once_leave_a_consistent_set()
    {
        var registry = new InMemoryServiceRegistry();
        await using var watch = new WatchReader(registry, "orders");
        Assert.Empty(await watch.NextAsync());

        IAsyncDisposable[] handles = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            Task.Run(async () => await registry.RegisterAsync(Instance("orders", 8000 + i)))));
        IReadOnlyList<RpcServiceInstance> all = await watch.NextAsync();
        while (all.Count < 200)
        {
            all = await watch.NextAsync();
        }

        Assert.Equal(200, all.Select(i => i.Id).Distinct().Count());
        await Task.WhenAll(handles.Take(150).Select(h => Task.Run(async () => await h.DisposeAsync())));
        IReadOnlyList<RpcServiceInstance> rest = await watch.NextAsync();
        while (rest.Count > 50)
        {
            rest = await watch.NextAsync();
        }

        Assert.Equal(handles.Skip(150).Count(), rest.Count);
    }

    [Fact]
    public void Invalid_arguments_are_rejected_at_the_call()
    {
        var registry = new InMemoryServiceRegistry();
        Assert.Throws<ArgumentException>(() => registry.WatchAsync(""));
        Assert.Throws<ArgumentNullException>(() => registry.WatchAsync(null!));
        Assert.Throws<ArgumentNullException>(() => { _ = registry.RegisterAsync(null!); });
    }
}
