using Rpc.LoadTest.Contenders;
using Rpc.LoadTest.Hosting;

namespace Rpc.LoadTest.Measurement;

/// <summary>
/// One contender for a whole run: its server process (or processes) and the one connection every phase shares, started and
/// warmed up before the first round, and its results per workload, one per round. A contender that fails is not
/// measured again; its remaining workloads are reported as not run.
/// </summary>
internal sealed class ContenderSession : IAsyncDisposable
{
    private readonly Dictionary<Workload, List<PhaseResult>> _rounds = new();
    private ServerGroup? _server;
    private ILoadConnection? _connection;
    private string? _failure;

    private ContenderSession(Contender contender) => Contender = contender;

    public Contender Contender { get; }

    /// <summary>Starts the contender's server, connects and warms up; a failure is kept for the report, not thrown.</summary>
    public static async Task<ContenderSession> StartAsync(Contender contender, RunSettings settings)
    {
        var session = new ContenderSession(contender);
        Console.WriteLine($"== starting {contender.DisplayName}");
        try
        {
            session._server = await ServerGroup.StartAsync(contender, TimeSpan.FromSeconds(30));
            using var connecting = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            session._connection = await contender.ConnectAsync(session._server.Ports, connecting.Token);
            await PhaseRunner.WarmUpAsync(session._connection, settings);
        }
        catch (Exception ex)
        {
            Console.WriteLine($"   failed: {ex.Message}");
            session._failure = ex.Message;
        }
        return session;
    }

    /// <summary>Measures one round of <paramref name="workload"/>, unless the contender failed earlier.</summary>
    public async Task MeasureAsync(Workload workload, int round, RunSettings settings)
    {
        if (_failure is not null || _server is null || _connection is null)
        {
            return;
        }
        PhaseResult result;
        try
        {
            result = await PhaseRunner.RunAsync(Contender.DisplayName, _connection, _server, workload, settings);
        }
        catch (Exception ex)
        {
            result = new PhaseResult(Contender.DisplayName, workload, PhaseStatus.Failed, Describe(ex, _server));
        }
        if (!_rounds.TryGetValue(workload, out List<PhaseResult>? rounds))
        {
            _rounds[workload] = rounds = new List<PhaseResult>();
        }
        rounds.Add(result);
        string roundTag = settings.Rounds > 1 ? $" [{round}/{settings.Rounds}]" : "";
        Console.WriteLine($"   {Contender.DisplayName,-26}{roundTag} {ProgressLine(result)}");
        if (result.Status == PhaseStatus.Failed)
        {
            // A connection that failed once is not measured again.
            _failure = "not run after an earlier failure";
        }
    }

    /// <summary>One result per workload of the run: the median round, or why there is none.</summary>
    public IEnumerable<PhaseResult> Results(IReadOnlyList<Workload> workloads)
    {
        foreach (Workload workload in workloads)
        {
            if (_rounds.TryGetValue(workload, out List<PhaseResult>? rounds))
            {
                yield return PhaseResult.Combine(rounds);
                continue;
            }
            // Every workload gets a row, so a failure is visible in the table; when the contender never started, the
            // first row says why.
            bool neverStarted = _rounds.Count == 0 && workload == workloads[0] && _failure is not null;
            yield return new PhaseResult(Contender.DisplayName, workload, PhaseStatus.Failed, neverStarted ? _failure : "not run after an earlier failure");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            Task closing = _connection.DisposeAsync().AsTask();
            await Task.WhenAny(closing, Task.Delay(TimeSpan.FromSeconds(5)));
        }
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static string Describe(Exception ex, ServerGroup server)
    {
        string message = ex is TimeoutException ? "timed out" : $"{ex.GetType().Name}: {ex.Message}";
        return server.HasExited ? $"{message} (the server exited: {server.Errors})" : message;
    }

    private static string ProgressLine(PhaseResult r) => r.Status switch
    {
        PhaseStatus.Measured when r.Workload.IsStream =>
            $"{r.Workload.Title,-28} {r.PerSecond,12:N0} items/s   client {r.ClientCpuPercent,4:0}%  server {r.ServerCpuPercent,4:0}%  others {r.OtherCpuPercent,3:0}%  {r.ClientBytesPerOperation,7:N1} B/item client, {r.ServerBytesPerOperation,7:N1} server",
        PhaseStatus.Measured =>
            $"{r.Workload.Title,-28} {r.PerSecond,12:N0} calls/s   p50 {r.P50Microseconds,8:N1} µs  p99 {r.P99Microseconds,8:N1} µs   client {r.ClientCpuPercent,4:0}%  server {r.ServerCpuPercent,4:0}%  others {r.OtherCpuPercent,3:0}%  {r.ClientBytesPerOperation,7:N1} B/call client, {r.ServerBytesPerOperation,7:N1} server; per call: {r.ClientWorkItemsPerOperation:0.00}/{r.ServerWorkItemsPerOperation:0.00} work items, {r.ClientContextSwitchesPerOperation:0.00}/{r.ServerContextSwitchesPerOperation:0.00} context switches",
        PhaseStatus.NotAvailable => $"{r.Workload.Title,-28} n/a ({r.Note})",
        _ => $"{r.Workload.Title,-28} FAILED: {r.Note}",
    };
}
