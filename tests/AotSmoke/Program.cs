using System;
using System.Collections.Generic;
using System.Linq;
using AotSmoke;
using Rpc.Serialization;

// Runs as a native binary: everything below must work without reflection or runtime code generation.
var order = new Order(
    7,
    "Grace Hopper ✓",
    new List<OrderLine> { new("compiler", 1, 9.99m), new("moth", 3, 0.25m) },
    new Dictionary<string, int> { ["compilers"] = 12, ["moths"] = 0 },
    new Rectangle(2.5, 4),
    new Address("1 Navy Way", "Arlington", new List<string> { "ring twice", "" }));

byte[] bytes = RpcSerializer.Serialize(order);
Order? copy = RpcSerializer.Deserialize<Order>(bytes);

var failures = new List<string>();
if (copy is null)
{
    failures.Add("the order deserialized as null");
}
else
{
    Check(copy.Id == order.Id, "Id");
    Check(copy.Customer == order.Customer, "Customer");
    Check(copy.Lines.SequenceEqual(order.Lines), "Lines");
    Check(copy.Stock.Count == order.Stock.Count && order.Stock.All(p => copy.Stock.TryGetValue(p.Key, out int v) && v == p.Value), "Stock");
    Check(copy.Box is Rectangle { Width: 2.5, Height: 4 }, "Box (union)");
    Check(copy.ShipTo is { } to && to.Street == order.ShipTo!.Street && to.City == order.ShipTo.City && to.Notes.SequenceEqual(order.ShipTo.Notes), "ShipTo (nested)");
}

Shape circle = RpcSerializer.Deserialize<Shape>(RpcSerializer.Serialize<Shape>(new Circle(1.5)))!;
Check(circle is Circle { Radius: 1.5 }, "a union on its own");

if (failures.Count > 0)
{
    Console.Error.WriteLine("AotSmoke: FAIL: " + string.Join("; ", failures));
    return 1;
}

Console.WriteLine($"AotSmoke: ok ({bytes.Length}-byte order round trip, union, nested records)");
return 0;

void Check(bool condition, string what)
{
    if (!condition)
    {
        failures.Add(what + " did not survive a round trip");
    }
}
