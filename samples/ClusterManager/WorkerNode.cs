using System.Net;
using Rpc;
using Rpc.Discovery;

namespace ClusterManager;

/// <summary>
/// A worker node: serves <see cref="IWorker"/>, registers itself as an instance of "worker", and reports to the
/// coordinator (found through the same registry) on a heartbeat, catching up on configuration with each answer.
/// </summary>
public sealed class WorkerNode : IAsyncDisposable
{
    public const string ServiceName = "worker";

    private readonly RpcServer _server;
    private readonly IRpcServiceRegistry _registry;
    private readonly Action<string> _log;
    private readonly CancellationTokenSource _stop = new();
    private Task _heartbeats = Task.CompletedTask;

    private WorkerNode(RpcServer server, WorkerService service, EndPoint endPoint, IRpcServiceRegistry registry, Action<string> log)
    {
        _server = server;
        Service = service;
        EndPoint = endPoint;
        _registry = registry;
        _log = log;
    }

    public WorkerService Service { get; }

    public EndPoint EndPoint { get; }

    public string Name => Service.Name;

    /// <summary>Listens on <paramref name="port"/> (0: any), registers, and starts heartbeating every <paramref name="interval"/>.</summary>
    public static async Task<WorkerNode> StartAsync(string name, IRpcServiceRegistry registry, int port, int weight, TimeSpan interval, Action<string> log)
    {
        var service = new WorkerService(name);
        var server = new RpcServer();
        server.AddService<IWorker>(service);
        EndPoint bound = await server.ListenAsync(new IPEndPoint(IPAddress.Loopback, port));
        await server.RegisterAsync(registry, new RpcServiceInstance(ServiceName, bound)
        {
            Weight = weight,
            Metadata = new Dictionary<string, string> { ["name"] = name },
        });
        var node = new WorkerNode(server, service, bound, registry, log);
        log($"worker {name}: listening on {bound}, registered as '{ServiceName}' (weight {weight})");
        node._heartbeats = node.HeartbeatLoopAsync(interval);
        return node;
    }

    private async Task HeartbeatLoopAsync(TimeSpan interval)
    {
        CancellationToken stop = _stop.Token;
        RpcClient? coordinator = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    // The coordinator is a service like any other: found in the registry, reconnected by the client.
                    coordinator ??= await RpcClient.ConnectAsync(Coordinator.ServiceName, _registry, new RpcClientOptions { ConnectTimeout = TimeSpan.FromSeconds(2) }, stop);
                    ConfigEntry[] missing = await coordinator.CreateProxy<ICoordinator>().HeartbeatAsync(new Heartbeat(
                        Name, EndPoint.ToString()!, Service.TasksRun, Service.TasksRunning, Service.Config.Version, Service.Config.Digest()), stop);
                    if (missing.Length > 0)
                    {
                        long version = Service.Config.Apply(missing);
                        _log($"worker {Name}: caught up on {missing.Length} config entries from the heartbeat answer (now at version {version})");
                    }
                }
                catch (RpcException ex)
                {
                    _log($"worker {Name}: heartbeat failed ({ex.StatusCode}); trying again");
                }
                await Task.Delay(interval, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            if (coordinator is not null)
            {
                await coordinator.DisposeAsync();
            }
        }
    }

    /// <summary>Leaves gracefully: deregisters first, lets the calls in flight finish, then stops heartbeating.</summary>
    public async Task StopAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _server.StopAsync(grace.Token);
        _stop.Cancel();
        await _heartbeats;
        _log($"worker {Name}: stopped after {Service.TasksRun} tasks");
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _heartbeats;
        await _server.DisposeAsync();
        _stop.Dispose();
    }
}
