namespace Rpc.LoadTest.Measurement;

/// <summary>Whether a phase produced numbers.</summary>
internal enum PhaseStatus
{
    Measured,
    NotAvailable,
    Failed,
}

/// <summary>
/// One contender's numbers for one workload. Operations are calls for unary workloads and items for the stream.
/// CPU is in percent of one core over the measured interval (200% is both cores); allocations are bytes per
/// operation over the same interval, for the whole process (background work included). Work items (thread-pool
/// items completed) and context switches per operation show how often a call is handed between threads.
/// </summary>
internal sealed record PhaseResult(string Contender, Workload Workload, PhaseStatus Status, string? Note = null)
{
    public long Operations { get; init; }
    public TimeSpan Elapsed { get; init; }
    public double PerSecond => Elapsed > TimeSpan.Zero ? Operations / Elapsed.TotalSeconds : 0;
    public double P50Microseconds { get; init; } = double.NaN;
    public double P99Microseconds { get; init; } = double.NaN;
    public double ClientCpuPercent { get; init; } = double.NaN;
    public double ServerCpuPercent { get; init; } = double.NaN;
    public double ClientBytesPerOperation { get; init; } = double.NaN;
    public double ServerBytesPerOperation { get; init; } = double.NaN;
    public double ClientWorkItemsPerOperation { get; init; } = double.NaN;
    public double ServerWorkItemsPerOperation { get; init; } = double.NaN;
    public double ClientContextSwitchesPerOperation { get; init; } = double.NaN;
    public double ServerContextSwitchesPerOperation { get; init; } = double.NaN;
    /// <summary>CPU used by every other process on the machine over the interval, in percent of one core: noise.</summary>
    public double OtherCpuPercent { get; init; } = double.NaN;
    public int ClientGen0Collections { get; init; }
    public int ServerGen0Collections { get; init; }

    /// <summary>Operations per second of every round, in the order they ran; this result is the median one.</summary>
    public IReadOnlyList<double> RoundsPerSecond { get; init; } = [];

    /// <summary>The median latency of every round (unary workloads), in the order they ran.</summary>
    public IReadOnlyList<double> RoundsP50Microseconds { get; init; } = [];

    /// <summary>
    /// The most CPU other processes took in any round (see <see cref="OtherCpuPercent"/>): a disturbed round can
    /// decide which round is the median even when the median round itself was quiet.
    /// </summary>
    public double PeakOtherCpuPercent { get; init; } = double.NaN;

    /// <summary>
    /// One result from a contender's rounds of a workload: the round of median throughput (for an even count, the
    /// lower of the middle two), carrying every round's figures; a failed round fails the whole.
    /// </summary>
    public static PhaseResult Combine(IReadOnlyList<PhaseResult> rounds)
    {
        if (rounds.FirstOrDefault(r => r.Status != PhaseStatus.Measured) is { } notMeasured)
        {
            return notMeasured;
        }
        PhaseResult median = rounds.OrderBy(r => r.PerSecond).ElementAt((rounds.Count - 1) / 2);
        return median with
        {
            RoundsPerSecond = rounds.Select(r => r.PerSecond).ToList(),
            RoundsP50Microseconds = rounds.Select(r => r.P50Microseconds).ToList(),
            PeakOtherCpuPercent = rounds.Any(r => double.IsNaN(r.OtherCpuPercent)) ? double.NaN : rounds.Max(r => r.OtherCpuPercent),
        };
    }
}
