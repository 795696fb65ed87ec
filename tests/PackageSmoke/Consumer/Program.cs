using System.Runtime.InteropServices;
using PackageSmoke;
using Rpc.Serialization;

// Both checks need the generator from the package: Rpc.Generated.RpcFormatterRegistrations is emitted by it (this
// line does not compile without it), and the round trip needs the formatters it registers.
Type registrations = typeof(Rpc.Generated.RpcFormatterRegistrations);

var order = new Order(
    42,
    "Ada Lovelace",
    [new OrderLine("tea", 2), new OrderLine("scones", 6)],
    new Dictionary<string, string> { ["channel"] = "web", ["note"] = "ünïcödé ✓" });

byte[] bytes = RpcSerializer.Serialize(order);
Order? copy = RpcSerializer.Deserialize<Order>(bytes);

bool same = copy is not null
    && copy.Id == order.Id
    && copy.Customer == order.Customer
    && copy.Lines.SequenceEqual(order.Lines)
    && copy.Tags.Count == order.Tags.Count
    && order.Tags.All(pair => copy.Tags.TryGetValue(pair.Key, out string? value) && value == pair.Value);

string framework = RuntimeInformation.FrameworkDescription;
if (!same)
{
    Console.Error.WriteLine($"FAIL: the order did not survive a round trip ({bytes.Length} bytes, {framework}).");
    return 1;
}

Console.WriteLine($"ok: round trip of {bytes.Length} bytes through {registrations.FullName} on {framework}");
return 0;
