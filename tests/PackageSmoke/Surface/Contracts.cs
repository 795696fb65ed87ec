using Rpc;
using Rpc.Serialization;

namespace Surface;

[RpcMessage]
public partial record Order(int Id, string Customer);

[RpcService]
public interface IOrders
{
    [RpcIdempotent]
    ValueTask<Order> GetOrderAsync(int id, CancellationToken cancellationToken = default);

    ValueTask<bool> PlaceAsync(Order order, CancellationToken cancellationToken = default);

    ValueTask<string> OwnerAsync([RpcHashKey] string customer, CancellationToken cancellationToken = default);
}

public sealed class Orders(string name) : IOrders
{
    public ValueTask<Order> GetOrderAsync(int id, CancellationToken cancellationToken = default) =>
        // The descriptor the generator emitted carries [RpcIdempotent].
        new(new Order(id, RpcContext.Current!.Method.IsIdempotent ? "idempotent" : "not idempotent"));

    public ValueTask<bool> PlaceAsync(Order order, CancellationToken cancellationToken = default) =>
        new(!RpcContext.Current!.Method.IsIdempotent);

    public ValueTask<string> OwnerAsync(string customer, CancellationToken cancellationToken = default) => new(name);
}
