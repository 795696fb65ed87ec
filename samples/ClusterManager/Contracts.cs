using Rpc;

namespace ClusterManager;

/// <summary>What every worker node serves, registered as the service "worker".</summary>
[RpcService]
public interface IWorker
{
    /// <summary>Runs one task. Tasks are pure (the same task gives the same result), so a retry may run it elsewhere.</summary>
    [RpcIdempotent]
    ValueTask<TaskResult> RunTaskAsync(WorkTask task, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies configuration entries the worker has not seen (by version) and answers the highest version it now
    /// holds. Applying an entry twice changes nothing, so it may be retried.
    /// </summary>
    [RpcIdempotent]
    ValueTask<long> ApplyConfigAsync(ConfigEntry[] entries, CancellationToken cancellationToken = default);
}

/// <summary>What the coordinator serves, registered as the service "coordinator".</summary>
[RpcService]
public interface ICoordinator
{
    /// <summary>
    /// A worker's periodic report. The answer carries the configuration entries newer than the version the worker
    /// reported: a worker that joined late or missed a push catches up on its next heartbeat.
    /// </summary>
    ValueTask<ConfigEntry[]> HeartbeatAsync(Heartbeat heartbeat, CancellationToken cancellationToken = default);
}

/// <summary>A unit of work: count the primes below <paramref name="Limit"/>.</summary>
public record WorkTask(int Id, int Limit);

/// <summary>A task's result and where it ran.</summary>
public record TaskResult(int TaskId, string Worker, int Primes);

/// <summary>One configuration value; versions grow across all keys, so one number says how current a copy is.</summary>
public record ConfigEntry(string Key, string Value, long Version);

/// <summary>A worker's state as it reports it.</summary>
public record Heartbeat(string Worker, string Address, int TasksRun, int TasksRunning, long ConfigVersion, string ConfigDigest);
