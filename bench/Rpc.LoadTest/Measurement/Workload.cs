namespace Rpc.LoadTest.Measurement;

/// <summary>What one measured phase does: unary calls from some number of callers, or one server stream.</summary>
internal sealed record Workload(string Name, string Title, int Callers, bool IsStream)
{
    public static IReadOnlyList<Workload> All { get; } =
    [
        new("unary-1", "unary, 1 caller (latency)", 1, false),
        new("unary-64", "unary, 64 callers", 64, false),
        new("unary-256", "unary, 256 callers", 256, false),
        new("stream", "server stream (items/s)", 0, true),
    ];
}
