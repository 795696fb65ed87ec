using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Rpc;

namespace AotSmoke;

/// <summary>A service whose methods carry every shape of message the smoke test covers.</summary>
[RpcService]
public interface IWarehouse
{
    /// <summary>Returns the order it was sent: strings, a list, a dictionary, nested records and a union both ways.</summary>
    ValueTask<Order> EchoAsync(Order order, CancellationToken cancellationToken = default);

    /// <summary>Counts each product: a list in, a dictionary out.</summary>
    Task<Dictionary<string, int>> CountAsync(List<string> products);

    /// <summary>A union in a list in, a union out.</summary>
    ValueTask<Shape> LargestAsync(List<Shape> shapes);

    /// <summary>Throws <see cref="RpcException"/> with <see cref="RpcStatusCode.NotFound"/>.</summary>
    Task<Address> FindAsync(string street);
}

public sealed class Warehouse : IWarehouse
{
    public ValueTask<Order> EchoAsync(Order order, CancellationToken cancellationToken) => ValueTask.FromResult(order);

    public Task<Dictionary<string, int>> CountAsync(List<string> products) =>
        Task.FromResult(products.GroupBy(p => p).ToDictionary(g => g.Key, g => g.Count()));

    public ValueTask<Shape> LargestAsync(List<Shape> shapes) => ValueTask.FromResult(shapes.MaxBy(Area)!);

    public Task<Address> FindAsync(string street) => throw new RpcException(RpcStatusCode.NotFound, $"no address on {street}");

    private static double Area(Shape shape) => shape switch
    {
        Circle c => System.Math.PI * c.Radius * c.Radius,
        Rectangle r => r.Width * r.Height,
        _ => 0,
    };
}
