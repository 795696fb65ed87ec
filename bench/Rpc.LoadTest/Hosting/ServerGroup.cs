using Rpc.LoadTest.Contenders;
using Rpc.LoadTest.Measurement;

namespace Rpc.LoadTest.Hosting;

/// <summary>
/// A contender's server processes: one for most, three for the cluster contender. Counters are the sum over the
/// processes, so a phase's server CPU and bytes per call cover every server the calls went to.
/// </summary>
internal sealed class ServerGroup : IAsyncDisposable
{
    private readonly IReadOnlyList<ServerProcess> _processes;

    private ServerGroup(IReadOnlyList<ServerProcess> processes) => _processes = processes;

    /// <summary>The port each process listens on, in start order.</summary>
    public IReadOnlyList<int> Ports => _processes.Select(p => p.Port).ToArray();

    /// <summary>True when any of the processes has exited.</summary>
    public bool HasExited => _processes.Any(p => p.HasExited);

    /// <summary>What the processes wrote to standard error, for failure messages.</summary>
    public string Errors => string.Join(Environment.NewLine, _processes.Select(p => p.Errors).Where(e => e.Length > 0));

    /// <summary>Starts the contender's <see cref="Contender.ServerProcesses"/> servers at once; all must become ready.</summary>
    public static async Task<ServerGroup> StartAsync(Contender contender, TimeSpan readyTimeout)
    {
        Task<ServerProcess>[] starting = Enumerable.Range(0, contender.ServerProcesses)
            .Select(_ => ServerProcess.StartAsync(contender, readyTimeout))
            .ToArray();
        try
        {
            return new ServerGroup(await Task.WhenAll(starting));
        }
        catch
        {
            // The ones that did start are stopped before the failure is reported.
            foreach (Task<ServerProcess> start in starting)
            {
                if (start.IsCompletedSuccessfully)
                {
                    await start.Result.DisposeAsync();
                }
            }
            throw;
        }
    }

    /// <summary>The processes' counters now, summed (see <see cref="ServerProcess.ReadCountersAsync"/>).</summary>
    public async Task<ProcessCounters> ReadCountersAsync()
    {
        ProcessCounters[] each = await Task.WhenAll(_processes.Select(p => p.ReadCountersAsync()));
        return ProcessCounters.Sum(each);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_processes.Select(p => p.DisposeAsync().AsTask()));
    }
}
