namespace Compat;

/// <summary>
/// How much to check: a fixed seed and a few values per shape by default (seconds); <c>RPC_COMPAT_ITERATIONS</c>
/// sets the values per shape and <c>RPC_COMPAT_SEED</c> the seed, for longer runs. <c>RPC_COMPAT_SHAPES</c> sets how
/// many random type shapes RandomShapes/ draws from the seed (default 80), e.g.
/// <c>RPC_COMPAT_SHAPES=1000 RPC_COMPAT_SEED=N dotnet test tests/Rpc.MemoryPackCompat.Tests -c Release</c>;
/// <c>RPC_COMPAT_SHAPES_SOURCE</c> names a file to write their (MemoryPack) source to.
/// </summary>
public static class CompatSettings
{
    public static int Iterations { get; } = ReadInt("RPC_COMPAT_ITERATIONS", 150);

    public static int Shapes { get; } = ReadInt("RPC_COMPAT_SHAPES", 80);

    public static int Seed { get; } = ReadInt("RPC_COMPAT_SEED", 20261204);

    private static int ReadInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out int value) && value > 0 ? value : fallback;
}
