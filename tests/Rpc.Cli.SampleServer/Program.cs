using System.Net;
using Rpc;
using Showcase;

// Serves IShowcase with description enabled on a loopback port and prints "listening <port>"; exits when stdin closes.
await using var server = new RpcServer(new RpcServerOptions { EnableDescription = true });
server.AddService<IShowcase>(new Showcase.Showcase());
var bound = (IPEndPoint)await server.ListenAsync(new IPEndPoint(IPAddress.Loopback, 0));
Console.WriteLine($"listening {bound.Port}");
await Console.In.ReadToEndAsync();
