namespace Rpc.LoadTest.Measurement;

/// <summary>
/// How long and how much: with the eleven contenders, <see cref="Quick"/> stays under two minutes in all (CI's smoke
/// run), <see cref="Full"/> under ten.
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
    public static RunSettings Quick { get; } = new("quick", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(0.25), TimeSpan.FromSeconds(0.75), 10_000_000, 100_000, 10_000, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(110), Rounds: 1);

    public static RunSettings Full { get; } = new("full", TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), 40_000_000, 1_000_000, 100_000, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(570), Rounds: 3);
}
