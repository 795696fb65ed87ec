using System.Net;
using System.Net.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Rpc;
using Rpc.Discovery;
using Rpc.Etcd;
using Rpc.Health;
using Rpc.Hosting;
using Surface;

// The issues' public names, as a user writes them. Prints "ok: ..." when every step worked.
using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
CancellationToken ct = timeout.Token;

// Channels: server options, a client that reconnects, keepalive, retries, WaitForReady, drain.
var serverOptions = new RpcServerOptions
{
    KeepAliveInterval = TimeSpan.FromSeconds(30),
    KeepAliveTimeout = TimeSpan.FromSeconds(10),
    MaxConnectionAge = TimeSpan.FromMinutes(30),
    MaxConnectionIdle = TimeSpan.FromMinutes(5),
    HandshakeTimeout = TimeSpan.FromSeconds(5),
    MaxConnections = 100,
    MaxMetadataSize = 8 * 1024,
    Tls = null,
};
var server = new RpcServer(serverOptions);
server.AddService<IOrders>(new Orders("one"));
EndPoint endPoint = await server.ListenAsync(new IPEndPoint(IPAddress.Loopback, 0), ct);

var clientOptions = new RpcClientOptions
{
    InitialReconnectDelay = TimeSpan.FromSeconds(1),
    MaxReconnectDelay = TimeSpan.FromSeconds(120),
    KeepAliveInterval = TimeSpan.FromSeconds(30),
    KeepAliveTimeout = TimeSpan.FromSeconds(10),
    RetryPolicy = new RpcRetryPolicy { MaxAttempts = 3 },
    LoadBalancer = RpcLoadBalancer.PowerOfTwoChoices,
    AllowInsecureCallCredentials = false,
    Tls = (SslClientAuthenticationOptions?)null,
};
await using (RpcClient client = await RpcClient.ConnectAsync(endPoint, clientOptions, ct))
{
    RpcConnectionState state = client.State;
    Check(state == RpcConnectionState.Ready, $"a connected client is {state}");
    IOrders orders = client.CreateProxy<IOrders>();
    Check((await orders.GetOrderAsync(7, ct)).Customer == "idempotent", "[RpcIdempotent] did not reach RpcMethodDescriptor.IsIdempotent");
    Check(await orders.PlaceAsync(new Order(1, "ada"), ct), "a method without [RpcIdempotent] is idempotent");
    using (RpcCallOptions.Push(new RpcCallOptions { WaitForReady = true, HashKey = "ada", Timeout = TimeSpan.FromSeconds(5) }))
    {
        Check(await orders.OwnerAsync("ada", ct) == "one", "a call with RpcCallOptions failed");
    }
    await server.StopAsync(ct);
}

// Cluster: a registry, discovery, balancers.
var registry = new InMemoryServiceRegistry();
var servers = new List<RpcServer>();
foreach (string name in new[] { "a", "b", "c" })
{
    var instanceServer = new RpcServer();
    instanceServer.AddService<IOrders>(new Orders(name));
    EndPoint bound = await instanceServer.ListenAsync(new IPEndPoint(IPAddress.Loopback, 0), ct);
    await instanceServer.RegisterAsync(registry, new RpcServiceInstance("orders", bound) { Id = name, Weight = 100 }, ct);
    servers.Add(instanceServer);
}
RpcLoadBalancer[] balancers = [RpcLoadBalancer.PowerOfTwoChoices, RpcLoadBalancer.RoundRobin, RpcLoadBalancer.Random, RpcLoadBalancer.ConsistentHash, RpcLoadBalancer.PickFirst];
foreach (RpcLoadBalancer balancer in balancers)
{
    await using RpcClient balanced = await RpcClient.ConnectAsync("orders", registry, new RpcClientOptions { LoadBalancer = balancer }, ct);
    IOrders orders = balanced.CreateProxy<IOrders>();
    string owner = await orders.OwnerAsync("grace", ct);
    Check(owner is "a" or "b" or "c", $"{balancer} picked no instance");
    if (balancer == RpcLoadBalancer.ConsistentHash)
    {
        for (int i = 0; i < 10; i++)
        {
            Check(await orders.OwnerAsync("grace", ct) == owner, "ConsistentHash moved a key while nothing changed");
        }
    }
}
await using (IAsyncEnumerator<IReadOnlyList<RpcServiceInstance>> watch = ((IRpcServiceRegistry)registry).WatchAsync("orders", ct).GetAsyncEnumerator(ct))
{
    Check(await watch.MoveNextAsync() && watch.Current.Count == 3, "the registry does not list three instances");
}
foreach (RpcServer instanceServer in servers)
{
    await instanceServer.DisposeAsync();
}
IRpcServiceRegistry fixedInstances = new StaticServiceRegistry([new RpcServiceInstance("orders", new IPEndPoint(IPAddress.Loopback, 1))]);
var etcdOptions = new EtcdRegistryOptions { Endpoints = "http://127.0.0.1:2379", Prefix = "/rpc/services/", LeaseTtl = TimeSpan.FromSeconds(10) };
await using (var etcd = new EtcdServiceRegistry(etcdOptions))
{
    IRpcServiceRegistry asRegistry = etcd;
    GC.KeepAlive(asRegistry);
}

// Hosting and health: a server and a typed client in a Generic Host.
string socket = Path.Combine(Path.GetTempPath(), $"surface-{Environment.ProcessId}.sock");
HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
// Registered first, so the server's AddService uses this registration rather than making its own.
builder.Services.AddSingleton(_ => new Orders("hosted"));
builder.Services.AddRpcServer(options => options.Endpoints.Add("unix:" + socket)).AddService<IOrders, Orders>();
builder.Services.AddRpcClient<IOrders>(options => options.Address = "unix:" + socket);
builder.Services.AddHealthChecks().AddRpcServer();
using (IHost host = builder.Build())
{
    await host.StartAsync(ct);
    IOrders hosted = host.Services.GetRequiredService<IOrders>();
    Check(await hosted.OwnerAsync("x", ct) == "hosted", "the hosted typed client did not reach the hosted server");
    HealthReport report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(ct);
    Check(report.Status == HealthStatus.Healthy, $"the hosted server's health is {report.Status}");
    await host.StopAsync(ct);
}
RpcHealthStatus[] statuses = [RpcHealthStatus.Unknown, RpcHealthStatus.Serving, RpcHealthStatus.NotServing, RpcHealthStatus.ServiceUnknown];
Console.WriteLine($"ok: channels, cluster ({balancers.Length} balancers, {fixedInstances.GetType().Name}), hosting and health ({statuses.Length} statuses)");
return 0;

static void Check(bool condition, string failure)
{
    if (!condition)
    {
        Console.WriteLine("failed: " + failure);
        Environment.Exit(1);
    }
}
