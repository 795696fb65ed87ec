using System.Collections.Generic;
using Rpc.Serialization;

namespace AotSmoke;

/// <summary>Strings, a list, a dictionary, a nested record and a union in one message.</summary>
[RpcMessage]
public partial record Order(int Id, string Customer, List<OrderLine> Lines, Dictionary<string, int> Stock, Shape Box, Address? ShipTo);

[RpcMessage]
public partial record OrderLine(string Product, int Quantity, decimal Price);

[RpcMessage]
public partial record Address(string Street, string City, List<string> Notes);

/// <summary>A union: the tag on the wire says which case follows.</summary>
[RpcMessage]
[RpcUnion(0, typeof(Circle))]
[RpcUnion(1, typeof(Rectangle))]
public abstract partial record Shape;

[RpcMessage]
public partial record Circle(double Radius) : Shape;

[RpcMessage]
public partial record Rectangle(double Width, double Height) : Shape;
