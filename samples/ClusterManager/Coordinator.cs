using System.Collections.Concurrent;
using System.Net;
using Rpc;
using Rpc.Discovery;

namespace ClusterManager;

/// <summary>
/// The coordinator: discovers the workers in the registry, schedules tasks onto them through the load balancer (one
/// balanced client, calls spread by PowerOfTwoChoices), pushes configuration to every one of them (the
/// <see cref="WorkerDirectory"/>), and serves <see cref="ICoordinator"/> for their heartbeats.
/// </summary>
public sealed class Coordinator : ICoordinator, IAsyncDisposable
{
    public const string ServiceName = "coordinator";

    private readonly ConcurrentDictionary<string, (Heartbeat Beat, DateTime At)> _heartbeats = new(StringComparer.Ordinal);
    private readonly Action<string> _log;
    private RpcServer? _server;
    private RpcClient? _workers;
    private WorkerDirectory? _directory;

    private Coordinator(Action<string> log) => _log = log;

    /// <summary>The configuration every worker should hold.</summary>
    public ConfigStore Config { get; } = new();

    /// <summary>Serves heartbeats on <paramref name="port"/> (0: any) and registers as "coordinator".</summary>
    public static async Task<Coordinator> StartAsync(IRpcServiceRegistry registry, int port, Action<string> log)
    {
        var coordinator = new Coordinator(log);
        coordinator._server = new RpcServer();
        coordinator._server.AddService<ICoordinator>(coordinator);
        EndPoint bound = await coordinator._server.ListenAsync(new IPEndPoint(IPAddress.Loopback, port));
        await coordinator._server.RegisterAsync(registry, new RpcServiceInstance(ServiceName, bound));
        coordinator._directory = new WorkerDirectory(registry);
        log($"coordinator: listening on {bound}, registered as '{ServiceName}'");
        return coordinator;
    }

    /// <summary>Connects the balanced client of the "worker" service; completes once one worker is Ready.</summary>
    public async Task ConnectToWorkersAsync(IRpcServiceRegistry registry, CancellationToken cancellationToken)
    {
        _workers = await RpcClient.ConnectAsync(WorkerNode.ServiceName, registry, new RpcClientOptions
        {
            LoadBalancer = RpcLoadBalancer.PowerOfTwoChoices,
            // A worker that joins takes its full share after two seconds instead of all at once.
            SlowStartWindow = TimeSpan.FromSeconds(2),
            InitialReconnectDelay = TimeSpan.FromMilliseconds(100),
            MaxReconnectDelay = TimeSpan.FromSeconds(2),
        }, cancellationToken);
        _log("coordinator: connected to the workers through the load balancer");
    }

    public ValueTask<ConfigEntry[]> HeartbeatAsync(Heartbeat heartbeat, CancellationToken cancellationToken)
    {
        if (!_heartbeats.ContainsKey(heartbeat.Worker))
        {
            _log($"coordinator: first heartbeat from {heartbeat.Worker} at {heartbeat.Address} (config version {heartbeat.ConfigVersion})");
        }
        _heartbeats[heartbeat.Worker] = (heartbeat, DateTime.UtcNow);
        return ValueTask.FromResult(Config.Since(heartbeat.ConfigVersion));
    }

    /// <summary>Changes one configuration value and pushes it to every worker listed now.</summary>
    public async Task SetConfigAsync(string key, string value)
    {
        ConfigEntry entry = Config.Set(key, value);
        string[] applied = await _directory!.BroadcastAsync([entry]);
        _log($"coordinator: config {key}={value} (version {entry.Version}) pushed to {applied.Length} workers: {string.Join(", ", applied)}");
    }

    /// <summary>Runs <paramref name="count"/> tasks, <paramref name="parallel"/> at a time, through the load balancer; prints where they ran.</summary>
    public async Task<int> RunTasksAsync(int firstId, int count, int parallel)
    {
        IWorker workers = _workers!.CreateProxy<IWorker>();
        var perWorker = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        int failed = 0;
        int next = firstId;
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
        {
            int id;
            while ((id = Interlocked.Increment(ref next) - 1) < firstId + count)
            {
                try
                {
                    TaskResult result = await workers.RunTaskAsync(new WorkTask(id, 2_000 + id % 7 * 500));
                    perWorker.AddOrUpdate(result.Worker, 1, static (_, n) => n + 1);
                }
                catch (RpcException ex)
                {
                    Interlocked.Increment(ref failed);
                    _log($"coordinator: task {id} failed: {ex.StatusCode} {ex.Message}");
                }
            }
        }));
        string spread = string.Join(", ", perWorker.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}"));
        _log($"coordinator: {count - failed} of {count} tasks done; ran on {spread}");
        return failed;
    }

    /// <summary>Prints the last heartbeat of every worker and whether their configuration matches the coordinator's.</summary>
    public bool PrintHeartbeats(IReadOnlyCollection<string> expected)
    {
        string digest = Config.Digest();
        bool inSync = true;
        _log($"coordinator: heartbeats (config version {Config.Version}, digest {digest}):");
        foreach ((string worker, (Heartbeat beat, DateTime at)) in _heartbeats.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            bool live = expected.Contains(worker);
            bool synced = beat.ConfigDigest == digest;
            inSync &= !live || synced;
            _log($"  {worker,-4} {(live ? "live" : "gone"),-4}  tasks {beat.TasksRun,4}  config v{beat.ConfigVersion} {beat.ConfigDigest} {(synced ? "in sync" : "behind")}  last seen {(DateTime.UtcNow - at).TotalMilliseconds,5:0} ms ago");
        }
        return inSync;
    }

    /// <summary>The workers the registry lists now.</summary>
    public string[] ListedWorkers => _directory!.Names;

    public async ValueTask DisposeAsync()
    {
        if (_workers is not null)
        {
            await _workers.DisposeAsync();
        }
        if (_directory is not null)
        {
            await _directory.DisposeAsync();
        }
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
