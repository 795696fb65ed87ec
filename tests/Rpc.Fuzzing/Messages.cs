using System.Collections.Generic;
using Rpc.Serialization;

namespace Rpc.Fuzzing;

// The generated types the serializer target reads: strings, lists, dictionaries, nested records, a union, nullable
// members and a version-tolerant type, each a shape whose reader has its own length and count checks.

/// <summary>Strings, a list of records, a dictionary, a union and a nullable nested record in one message.</summary>
[RpcMessage]
public partial record Order(int Id, string Customer, List<OrderLine> Lines, Dictionary<string, int> Stock, Shape? Box, Address? ShipTo);

[RpcMessage]
public partial record OrderLine(string Product, int Quantity, decimal Price, byte[]? Note);

[RpcMessage]
public partial record Address(string Street, string? City, List<string> Notes);

/// <summary>A union: the tag on the wire says which case follows.</summary>
[RpcMessage]
[RpcUnion(0, typeof(Circle))]
[RpcUnion(1, typeof(Rectangle))]
[RpcUnion(300, typeof(Polygon))]
public abstract partial record Shape;

[RpcMessage]
public partial record Circle(double Radius) : Shape;

[RpcMessage]
public partial record Rectangle(double Width, double Height) : Shape;

/// <summary>A union case with a wide tag (written as <c>fa</c> and a ushort) and a nested list of unions.</summary>
[RpcMessage]
public partial record Polygon(int[] Points, List<Shape?> Holes) : Shape;

/// <summary>Slots with byte lengths: unknown trailing slots are skipped, missing ones left default.</summary>
[RpcMessage(GenerateType.VersionTolerant)]
public partial class Profile
{
    [RpcOrder(0)]
    public int Version { get; set; }

    [RpcOrder(1)]
    public string? Name { get; set; }

    [RpcOrder(2)]
    public Dictionary<string, List<string>>? Tags { get; set; }

    [RpcOrder(3)]
    public Shape? Avatar { get; set; }
}
