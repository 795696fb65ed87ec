using Rpc;

namespace PackageSmoke;

/// <summary>The contract: the generator in the package writes its proxy and dispatcher.</summary>
[RpcService]
public interface IOrderDesk
{
    ValueTask<Receipt> PlaceAsync(Order order, CancellationToken cancellationToken = default);
}

public sealed class OrderDesk : IOrderDesk
{
    public ValueTask<Receipt> PlaceAsync(Order order, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new Receipt(order.Id, order.Lines.Sum(line => line.Quantity), $"thank you, {order.Customer}"));
}
