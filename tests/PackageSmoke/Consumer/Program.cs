using System.Net;
using System.Runtime.InteropServices;
using PackageSmoke;
using Rpc;
using Rpc.Serialization;

// Everything here needs the generator from the package: these types are emitted by it (the lines do not compile
// without it), the round trip needs the formatters it registers, and the call needs its proxy and dispatcher.
Type[] generated = [typeof(Rpc.Generated.RpcFormatterRegistrations), typeof(OrderDeskRpcProxy), typeof(OrderDeskRpcDispatcher)];
string framework = RuntimeInformation.FrameworkDescription;

var order = new Order(
    42,
    "Ada Lovelace",
    [new OrderLine("tea", 2), new OrderLine("scones", 6)],
    new Dictionary<string, string> { ["channel"] = "web", ["note"] = "ünïcödé ✓" });

// 1. Serialization on its own.
byte[] bytes = RpcSerializer.Serialize(order);
Order? copy = RpcSerializer.Deserialize<Order>(bytes);
bool same = copy is not null
    && copy.Id == order.Id
    && copy.Customer == order.Customer
    && copy.Lines.SequenceEqual(order.Lines)
    && copy.Tags.Count == order.Tags.Count
    && order.Tags.All(pair => copy.Tags.TryGetValue(pair.Key, out string? value) && value == pair.Value);
if (!same)
{
    Console.Error.WriteLine($"FAIL: the order did not survive a round trip ({bytes.Length} bytes, {framework}).");
    return 1;
}

// 2. One call from a client to a server over loopback TCP.
using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
await using var server = new RpcServer();
server.AddService<IOrderDesk>(new OrderDesk());
EndPoint bound = await server.ListenAsync(new IPEndPoint(IPAddress.Loopback, 0), timeout.Token);
await using RpcClient client = await RpcClient.ConnectAsync(bound, cancellationToken: timeout.Token);
Receipt receipt = await client.CreateProxy<IOrderDesk>().PlaceAsync(order, timeout.Token);
if (receipt != new Receipt(42, 8, "thank you, Ada Lovelace"))
{
    Console.Error.WriteLine($"FAIL: unexpected receipt {receipt} ({framework}).");
    return 1;
}

Console.WriteLine($"ok: {bytes.Length}-byte round trip and a call to {bound} answered \"{receipt.Message}\"; " +
    $"{generated.Length} generated types; {framework}");
return 0;
