using System.Net;
using System.Runtime.InteropServices;
using Rpc;
using Rpc.Discovery;
using Rpc.Etcd;
using Rpc.TestServer;

// Rpc.TestServer --port N [--name X] [--etcd URLS --service S [--ttl SECONDS] [--prefix P]]: serves IProbe on
// 127.0.0.1:N until killed; SIGTERM drains (StopAsync, which deregisters first). With --etcd it registers itself as
// an instance of S in that etcd (lease of --ttl seconds, default 2) and prints "registered" once it is.
int port = 0;
string name = "server";
string? etcd = null;
string service = "probe";
int ttl = 2;
string prefix = "/rpc/services/";
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--port": port = int.Parse(args[i + 1]); break;
        case "--name": name = args[i + 1]; break;
        case "--etcd": etcd = args[i + 1]; break;
        case "--service": service = args[i + 1]; break;
        case "--ttl": ttl = int.Parse(args[i + 1]); break;
        case "--prefix": prefix = args[i + 1]; break;
    }
}

var server = new RpcServer();
server.AddService<IProbe>(new ProbeService(name));
EndPoint bound = await server.ListenAsync(new IPEndPoint(IPAddress.Loopback, port));
Console.WriteLine($"listening {((IPEndPoint)bound).Port}");

EtcdServiceRegistry? registry = null;
if (etcd is not null)
{
    registry = new EtcdServiceRegistry(new EtcdRegistryOptions
    {
        Endpoints = etcd,
        Prefix = prefix,
        LeaseTtl = TimeSpan.FromSeconds(ttl),
        RequestTimeout = TimeSpan.FromSeconds(2),
        Log = (message, exception) => Console.Error.WriteLine(exception is null ? message : $"{message}: {exception.Message}"),
    });
    using var registering = new CancellationTokenSource(TimeSpan.FromSeconds(30));
    await server.RegisterAsync(registry, new RpcServiceInstance(service, bound)
    {
        Metadata = new Dictionary<string, string> { ["name"] = name },
    }, registering.Token);
    Console.WriteLine("registered");
}

var stop = new TaskCompletionSource();
using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.TrySetResult();
});
await stop.Task;
using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
await server.StopAsync(grace.Token);
if (registry is not null)
{
    await registry.DisposeAsync();
}
Console.WriteLine("stopped");
