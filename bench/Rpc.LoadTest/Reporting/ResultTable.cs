using Rpc.LoadTest.Measurement;

namespace Rpc.LoadTest.Reporting;

/// <summary>A run's results, looked up by workload and contender, with each contender's ratio to raw.</summary>
internal sealed class ResultTable(IReadOnlyList<PhaseResult> results, IReadOnlyList<string> contenders, string floor)
{
    public IReadOnlyList<PhaseResult> Results => results;

    /// <summary>Contenders' display names in report order.</summary>
    public IReadOnlyList<string> Contenders => contenders;

    /// <summary>The display name of the contender every ratio divides by.</summary>
    public string Floor => floor;

    public IEnumerable<Workload> Workloads => Workload.All.Where(w => results.Any(r => r.Workload == w));

    public PhaseResult? Find(Workload workload, string contender) =>
        results.FirstOrDefault(r => r.Workload == workload && r.Contender == contender);

    /// <summary>Every result in report order: by workload, then by contender.</summary>
    public IEnumerable<PhaseResult> InReportOrder() =>
        Workloads.SelectMany(workload => contenders.Select(contender => Find(workload, contender)).OfType<PhaseResult>());

    /// <summary>The measured results in report order.</summary>
    public IEnumerable<PhaseResult> MeasuredInReportOrder() => InReportOrder().Where(r => r.Status == PhaseStatus.Measured);

    /// <summary>Operations per second relative to the floor's, or NaN when either was not measured.</summary>
    public double ThroughputRatio(PhaseResult result) =>
        Find(result.Workload, floor) is { Status: PhaseStatus.Measured } raw && result.Status == PhaseStatus.Measured && raw.PerSecond > 0
            ? result.PerSecond / raw.PerSecond
            : double.NaN;

    /// <summary>Median latency relative to the floor's (lower is better), or NaN.</summary>
    public double MedianRatio(PhaseResult result) =>
        Find(result.Workload, floor) is { Status: PhaseStatus.Measured } raw && result.Status == PhaseStatus.Measured
            ? result.P50Microseconds / raw.P50Microseconds
            : double.NaN;
}
