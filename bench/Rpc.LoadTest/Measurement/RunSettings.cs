namespace Rpc.LoadTest.Measurement;

/// <summary>
/// How long and how much: <see cref="Quick"/> stays under a minute in all, <see cref="Full"/> under five.
/// <see cref="ConnectionWarmup"/> runs once per contender before its first phase, with 64 callers: it is what
/// lets the JIT reach its optimized tier everywhere (ASP.NET Core needs seconds of traffic for that), so each
/// phase's own <see cref="Warmup"/> only settles its concurrency. Each workload is measured in
/// <see cref="Rounds"/> rounds, every contender once per round, one after another, so that the contenders of a
/// round are measured seconds apart rather than minutes; the report keeps each contender's median round.
/// </summary>
internal sealed record RunSettings(
    string Mode,
    TimeSpan ConnectionWarmup,
    TimeSpan Warmup,
    TimeSpan Measure,
    long MaxCallsPerPhase,
    int StreamItems,
    int StreamWarmupItems,
    TimeSpan PhaseTimeout,
    TimeSpan Deadline,
    int Rounds)
{
    public static RunSettings Quick { get; } = new("quick", TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1.5), 10_000_000, 200_000, 20_000, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(120), Rounds: 1);

    public static RunSettings Full { get; } = new("full", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), 40_000_000, 1_000_000, 100_000, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(290), Rounds: 3);
}
