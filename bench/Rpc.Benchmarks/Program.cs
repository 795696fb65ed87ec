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
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
