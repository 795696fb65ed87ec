using System.Diagnostics;
using Rpc.Transport;

namespace Rpc.Benchmarks;

/// <summary>
/// Process CPU time per unary call over the in-memory transport (client and server in this process), with 64 calls
/// kept in flight. CPU time, unlike wall time, is not inflated when the hypervisor takes the machine's cores away
/// for a while, so on a shared machine it tells two builds apart where timings cannot. Run it with
/// <c>DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0</c> so that idle thread-pool threads do not spin and the figure
/// is the work the calls need: <c>dotnet run -c Release --project bench/Rpc.Benchmarks -- --cpu-per-call</c>.
/// </summary>
internal static class CpuPerCall
{
    private const string Text = "0123456789abcdefghijklmnopqrstuv";

    public static async Task RunAsync()
    {
        await using var server = new RpcServer();
        server.AddService<IBenchEcho>(new BenchEcho());
        var endPoint = new InMemoryEndPoint("cpu-" + Guid.NewGuid().ToString("N"));
        await server.ListenAsync(endPoint);
        await using RpcClient client = await RpcClient.ConnectAsync(endPoint);
        IBenchEcho proxy = client.CreateProxy<IBenchEcho>();

        const int InFlight = 64;
        const int Calls = 200_000;
        var samples = new List<double>();
        for (int repetition = 0; repetition < 22; repetition++)
        {
            var process = Process.GetCurrentProcess();
            TimeSpan cpuBefore = process.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            await RunCallersAsync(proxy, InFlight, Calls / InFlight);
            TimeSpan wall = Stopwatch.GetElapsedTime(start);
            process.Refresh();
            double cpuMicroseconds = (process.TotalProcessorTime - cpuBefore).TotalMicroseconds / Calls;
            if (repetition >= 6)
            {
                samples.Add(cpuMicroseconds);
            }
            Console.WriteLine($"{cpuMicroseconds:F3} µs CPU per call, {wall.TotalMicroseconds / Calls:F3} µs wall");
        }
        samples.Sort();
        Console.WriteLine($"median {samples[samples.Count / 2]:F3} µs CPU per call, min {samples[0]:F3}");
    }

    // Independent callers, as in the load test: each awaits its reply and then makes its next call.
    private static Task RunCallersAsync(IBenchEcho proxy, int callers, int callsEach)
    {
        var tasks = new Task[callers];
        for (int i = 0; i < callers; i++)
        {
            tasks[i] = CallerAsync(proxy, i, callsEach);
        }
        return Task.WhenAll(tasks);
    }

    private static async Task CallerAsync(IBenchEcho proxy, int id, int calls)
    {
        for (int i = 0; i < calls; i++)
        {
            string reply = await proxy.EchoAsync(new BenchEchoRequest(id, Text)).ConfigureAwait(false);
            if (reply.Length != 40)
            {
                throw new InvalidOperationException("Unexpected reply.");
            }
        }
    }
}
