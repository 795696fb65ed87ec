using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using AotSmoke;
using Rpc;
using Rpc.Serialization;

// Runs as a native binary: everything below must work without reflection or runtime code generation.
var failures = new List<string>();
var order = new Order(
    7,
    "Grace Hopper ✓",
    new List<OrderLine> { new("compiler", 1, 9.99m), new("moth", 3, 0.25m) },
    new Dictionary<string, int> { ["compilers"] = 12, ["moths"] = 0 },
    new Rectangle(2.5, 4),
    new Address("1 Navy Way", "Arlington", new List<string> { "ring twice", "" }));

// 1. The serializer on its own.
byte[] bytes = RpcSerializer.Serialize(order);
CheckOrder(RpcSerializer.Deserialize<Order>(bytes), "a serializer round trip");
Shape circle = RpcSerializer.Deserialize<Shape>(RpcSerializer.Serialize<Shape>(new Circle(1.5)))!;
Check(circle is Circle { Radius: 1.5 }, "a union on its own");

// 2. Real calls from a client to a server over loopback TCP.
using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
await using (var server = new RpcServer())
{
    server.AddService<IWarehouse>(new Warehouse());
    EndPoint bound = await server.ListenAsync(new IPEndPoint(IPAddress.Loopback, 0), timeout.Token);
    await using RpcClient client = await RpcClient.ConnectAsync(bound, cancellationToken: timeout.Token);
    IWarehouse warehouse = client.CreateProxy<IWarehouse>();

    CheckOrder(await warehouse.EchoAsync(order, timeout.Token), "EchoAsync");

    Dictionary<string, int> counts = await warehouse.CountAsync(new List<string> { "tea", "moth", "tea" });
    Check(counts.Count == 2 && counts["tea"] == 2 && counts["moth"] == 1, "CountAsync");

    Shape largest = await warehouse.LargestAsync(new List<Shape> { new Circle(1), new Rectangle(3, 4), new Circle(0.5) });
    Check(largest is Rectangle { Width: 3, Height: 4 }, "LargestAsync");

    try
    {
        await warehouse.FindAsync("Nowhere Street");
        failures.Add("FindAsync did not throw");
    }
    catch (RpcException e)
    {
        Check(e.StatusCode == RpcStatusCode.NotFound && e.Message.Contains("Nowhere Street"), $"FindAsync's error ({e.StatusCode}: {e.Message})");
    }
}

if (failures.Count > 0)
{
    Console.Error.WriteLine("AotSmoke: FAIL: " + string.Join("; ", failures));
    return 1;
}

Console.WriteLine($"AotSmoke: ok ({bytes.Length}-byte order round trip; 4 calls over loopback TCP: strings, lists, dictionaries, nested records, a union, an error)");
return 0;

void Check(bool condition, string what)
{
    if (!condition)
    {
        failures.Add(what + " was wrong");
    }
}

void CheckOrder(Order? copy, string what)
{
    Check(copy is not null
        && copy.Id == order.Id
        && copy.Customer == order.Customer
        && copy.Lines.SequenceEqual(order.Lines)
        && copy.Stock.Count == order.Stock.Count && order.Stock.All(p => copy.Stock.TryGetValue(p.Key, out int v) && v == p.Value)
        && copy.Box is Rectangle { Width: 2.5, Height: 4 }
        && copy.ShipTo is { } to && to.Street == order.ShipTo!.Street && to.City == order.ShipTo.City && to.Notes.SequenceEqual(order.ShipTo.Notes),
        what);
}
