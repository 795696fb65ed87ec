using Rpc.Serialization;

namespace PackageSmoke;

/// <summary>A message with a string, a list, a dictionary and a nested record: enough to need a generated formatter.</summary>
[RpcMessage]
public partial record Order(int Id, string Customer, List<OrderLine> Lines, Dictionary<string, string> Tags);

[RpcMessage]
public partial record OrderLine(string Product, int Quantity);

/// <summary>What the service answers; no attribute: types a service uses are serializable as they are.</summary>
public record Receipt(int OrderId, int Items, string Message);
