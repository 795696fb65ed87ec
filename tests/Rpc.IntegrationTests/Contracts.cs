using Rpc;
using Rpc.Serialization;

namespace Rpc.IntegrationTests;

public enum Category : byte { Tools = 1, Food = 2, Toys = 3 }

public record Item(string Sku, string Name, decimal Price, Category Category, IReadOnlyList<string> Tags);

[RpcMessage]
public partial class StockReport
{
    public Dictionary<string, int> Levels { get; set; } = new();
    public DateTime TakenAtUtc { get; set; }
    public Guid Id { get; set; }
    public int? Missing { get; set; }
}

public interface IHealth
{
    Task<string> PingAsync(string message);
}

[RpcService]
public interface IInventory : IHealth
{
    ValueTask<Item?> FindAsync(string sku, CancellationToken cancellationToken = default);
    Task<int> AddAsync(Item item);
    Task<int> AddAsync(Item[] items);
    ValueTask<StockReport> ReportAsync(IEnumerable<string> skus, bool includeMissing);
    Task RemoveAsync(string sku);
    ValueTask<(int Count, decimal Total)> SummarizeAsync(Category category);
    ValueTask WaitAsync(int milliseconds, CancellationToken cancellationToken);
    [RpcOneWay] ValueTask AuditAsync(string entry);
}

[RpcService("tests.calculator")]
public interface ICalculator
{
    ValueTask<long> MultiplyAsync(int a, int b);
}
