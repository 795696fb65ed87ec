using System.Diagnostics;
using System.Runtime.InteropServices;
using ClusterManager;
using Rpc.Discovery;
using Rpc.Etcd;

// dotnet run --project samples/ClusterManager
//     the whole cluster in one process on the embedded registry: a coordinator, workers joining and leaving; exits
// dotnet run --project samples/ClusterManager -- worker --etcd http://127.0.0.1:2379 [--name w1] [--port 0] [--weight 100]
//     one worker node registered in etcd, until Ctrl+C or SIGTERM (then it deregisters and drains)
// dotnet run --project samples/ClusterManager -- coordinator --etcd http://127.0.0.1:2379 [--port 0] [--rounds 0]
//     the coordinator: finds the workers in etcd and schedules a round of tasks every 2 s (--rounds N: N rounds, then exit)
var clock = Stopwatch.StartNew();
object printing = new();
void Log(string line)
{
    lock (printing)
    {
        Console.WriteLine($"[{clock.Elapsed.TotalSeconds,5:0.00}s] {line}");
    }
}

string mode = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "demo";
string? etcd = Option("--etcd");
int port = int.Parse(Option("--port") ?? "0");
switch (mode)
{
    case "demo":
        return await RunDemoAsync();
    case "worker" when etcd is not null:
        await RunWorkerAsync(etcd, Option("--name") ?? $"w{Environment.ProcessId}", int.Parse(Option("--weight") ?? "100"));
        return 0;
    case "coordinator" when etcd is not null:
        return await RunCoordinatorAsync(etcd, int.Parse(Option("--rounds") ?? "0"));
    default:
        Console.Error.WriteLine("usage: ClusterManager [demo] | worker --etcd URLS [--name N] [--port P] [--weight W] | coordinator --etcd URLS [--port P] [--rounds R]");
        return 2;
}

string? Option(string name)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

// One process: the embedded registry, a coordinator and four workers that come and go.
async Task<int> RunDemoAsync()
{
    var registry = new InMemoryServiceRegistry();
    TimeSpan heartbeat = TimeSpan.FromMilliseconds(300);
    await using Coordinator coordinator = await Coordinator.StartAsync(registry, 0, Log);
    var workers = new List<WorkerNode>
    {
        await WorkerNode.StartAsync("w1", registry, 0, 100, heartbeat, Log),
        await WorkerNode.StartAsync("w2", registry, 0, 100, heartbeat, Log),
        await WorkerNode.StartAsync("w3", registry, 0, 200, heartbeat, Log),
    };
    try
    {
        await coordinator.ConnectToWorkersAsync(registry, CancellationToken.None);
        await coordinator.SetConfigAsync("log-level", "info");
        await coordinator.SetConfigAsync("batch-size", "64");
        int failed = await coordinator.RunTasksAsync(0, 60, parallel: 8);

        Log("--- a worker joins: it catches up on the configuration through its first heartbeat");
        workers.Add(await WorkerNode.StartAsync("w4", registry, 0, 100, heartbeat, Log));
        await Task.Delay(heartbeat * 2);
        await coordinator.SetConfigAsync("batch-size", "128");

        Log("--- w2 leaves gracefully while tasks run: it deregisters first, then finishes its calls");
        Task<int> running = coordinator.RunTasksAsync(60, 200, parallel: 8);
        await Task.Delay(100);
        WorkerNode leaving = workers[1];
        await leaving.StopAsync();
        workers.Remove(leaving);
        await leaving.DisposeAsync();
        failed += await running;

        await Task.Delay(heartbeat * 2);
        Log($"--- the registry lists {string.Join(", ", coordinator.ListedWorkers)}");
        bool inSync = coordinator.PrintHeartbeats(workers.Select(worker => worker.Name).ToArray());
        Log($"failed tasks: {failed}; live workers in sync: {(inSync ? "yes" : "no")}");
        return failed == 0 && inSync ? 0 : 1;
    }
    finally
    {
        foreach (WorkerNode worker in workers)
        {
            await worker.DisposeAsync();
        }
    }
}

async Task RunWorkerAsync(string endpoints, string name, int weight)
{
    await using var registry = new EtcdServiceRegistry(new EtcdRegistryOptions { Endpoints = endpoints, LeaseTtl = TimeSpan.FromSeconds(5) });
    await using WorkerNode worker = await WorkerNode.StartAsync(name, registry, port, weight, TimeSpan.FromSeconds(1), Log);
    await WaitForStopAsync(CancellationToken.None);
    Log($"worker {name}: stopping (deregistering, then draining)");
    await worker.StopAsync();
}

async Task<int> RunCoordinatorAsync(string endpoints, int rounds)
{
    await using var registry = new EtcdServiceRegistry(new EtcdRegistryOptions { Endpoints = endpoints, LeaseTtl = TimeSpan.FromSeconds(5) });
    await using Coordinator coordinator = await Coordinator.StartAsync(registry, port, Log);
    using var stop = new CancellationTokenSource();
    Task stopped = WaitForStopAsync(CancellationToken.None).ContinueWith(_ => stop.Cancel(), TaskScheduler.Default);
    while (true)
    {
        try
        {
            await coordinator.ConnectToWorkersAsync(registry, stop.Token);
            break;
        }
        catch (Rpc.RpcException)
        {
            Log("coordinator: no worker is Ready yet; start one with: dotnet run --project samples/ClusterManager -- worker --etcd " + endpoints);
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
    }
    await coordinator.SetConfigAsync("coordinator-started", DateTime.UtcNow.ToString("O"));
    int failed = 0;
    for (int round = 1; !stop.IsCancellationRequested && (rounds == 0 || round <= rounds); round++)
    {
        failed += await coordinator.RunTasksAsync(round * 1000, 50, parallel: 8);
        await coordinator.SetConfigAsync("round", round.ToString());
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2), stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
        // Two seconds on, every live worker has reported the round's configuration.
        coordinator.PrintHeartbeats(coordinator.ListedWorkers);
    }
    return failed == 0 ? 0 : 1;
}

// Ctrl+C or SIGTERM (what an orchestrator sends before it kills).
static async Task WaitForStopAsync(CancellationToken cancellationToken)
{
    var stop = new TaskCompletionSource();
    using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
    {
        context.Cancel = true;
        stop.TrySetResult();
    });
    using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
    {
        context.Cancel = true;
        stop.TrySetResult();
    });
    await stop.Task.WaitAsync(cancellationToken);
}
