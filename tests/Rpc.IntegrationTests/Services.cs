using System.Collections.Concurrent;
using Rpc;

namespace Rpc.IntegrationTests;

public sealed class Inventory : IInventory
{
    private readonly ConcurrentDictionary<string, Item> _items = new();

    public ConcurrentQueue<string> Audit { get; } = new();

    public TaskCompletionSource<bool> WaitCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ValueTask<Item?> FindAsync(string sku, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_items.TryGetValue(sku, out Item? item) ? item : null);

    public Task<int> AddAsync(Item item)
    {
        if (item.Price < 0)
        {
            throw new RpcException(RpcStatusCode.InvalidArgument, $"price of {item.Sku} is negative");
        }
        _items[item.Sku] = item;
        return Task.FromResult(_items.Count);
    }

    public async Task<int> AddAsync(Item[] items)
    {
        int count = 0;
        foreach (Item item in items)
        {
            count = await AddAsync(item);
        }
        return count;
    }

    public ValueTask<StockReport> ReportAsync(IEnumerable<string> skus, bool includeMissing)
    {
        var report = new StockReport { TakenAtUtc = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), Id = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff") };
        foreach (string sku in skus)
        {
            if (_items.ContainsKey(sku))
            {
                report.Levels[sku] = 1;
            }
            else if (includeMissing)
            {
                report.Missing = (report.Missing ?? 0) + 1;
            }
        }
        return ValueTask.FromResult(report);
    }

    public Task RemoveAsync(string sku) =>
        _items.TryRemove(sku, out _) ? Task.CompletedTask : throw new KeyNotFoundException("secret internal detail: " + sku);

    public ValueTask<(int Count, decimal Total)> SummarizeAsync(Category category)
    {
        Item[] matching = _items.Values.Where(i => i.Category == category).ToArray();
        return ValueTask.FromResult((matching.Length, matching.Sum(i => i.Price)));
    }

    public async ValueTask WaitAsync(int milliseconds, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(milliseconds, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            WaitCancelled.TrySetResult(true);
            throw;
        }
    }

    public ValueTask AuditAsync(string entry)
    {
        Audit.Enqueue(entry);
        return ValueTask.CompletedTask;
    }

    public Task<string> PingAsync(string message) => Task.FromResult("pong: " + message);
}

public sealed class Calculator : ICalculator
{
    public ValueTask<long> MultiplyAsync(int a, int b) => ValueTask.FromResult((long)a * b);
}
