namespace ClusterManager;

/// <summary>A worker node's implementation of <see cref="IWorker"/>: runs tasks and holds a replica of the configuration.</summary>
public sealed class WorkerService : IWorker
{
    private int _tasksRun;
    private int _tasksRunning;

    public WorkerService(string name) => Name = name;

    public string Name { get; }

    public ConfigStore Config { get; } = new();

    public int TasksRun => Volatile.Read(ref _tasksRun);

    public int TasksRunning => Volatile.Read(ref _tasksRunning);

    public async ValueTask<TaskResult> RunTaskAsync(WorkTask task, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _tasksRunning);
        try
        {
            // A little waiting (I/O, in a real task) and a little computing.
            await Task.Delay(10, cancellationToken);
            int primes = CountPrimes(task.Limit);
            Interlocked.Increment(ref _tasksRun);
            return new TaskResult(task.Id, Name, primes);
        }
        finally
        {
            Interlocked.Decrement(ref _tasksRunning);
        }
    }

    public ValueTask<long> ApplyConfigAsync(ConfigEntry[] entries, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Config.Apply(entries));

    private static int CountPrimes(int limit)
    {
        int count = 0;
        for (int n = 2; n < limit; n++)
        {
            bool prime = true;
            for (int d = 2; d * d <= n; d++)
            {
                if (n % d == 0)
                {
                    prime = false;
                    break;
                }
            }
            count += prime ? 1 : 0;
        }
        return count;
    }
}
