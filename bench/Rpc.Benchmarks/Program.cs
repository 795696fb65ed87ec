using BenchmarkDotNet.Running;

namespace Rpc.Benchmarks;

/// <summary>Runs the micro-benchmarks: <c>dotnet run -c Release --project bench/Rpc.Benchmarks -- --filter '*'</c>.</summary>
public static class Program
{
    public static async Task Main(string[] args)
    {
        if (args.Contains("--cpu-per-call"))
        {
            await CpuPerCall.RunAsync();
            return;
        }
        if (args.Contains("--cluster-simulation"))
        {
            ClusterSimulation.Run();
            return;
        }
        if (Array.IndexOf(args, "--peer-ratios") is int at and >= 0)
        {
            PeerSerializerRatios.Run(at + 1 < args.Length && int.TryParse(args[at + 1], out int rounds) ? rounds : 21);
            return;
        }
        if (Array.IndexOf(args, "--peer-loop") is int loop and >= 0 && loop + 1 < args.Length)
        {
            PeerSerializerRatios.Loop(args[loop + 1], loop + 2 < args.Length && double.TryParse(args[loop + 2], out double seconds) ? seconds : 10);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
