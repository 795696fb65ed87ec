using System.Diagnostics;
using System.Globalization;

namespace Rpc.Benchmarks;

/// <summary>
/// <c>--peer-ratios [ROUNDS]</c>: Rpc against MemoryPack on <see cref="PeerSerializerBenchmarks"/>' rows, the two
/// libraries' batches interleaved (Rpc, MemoryPack, Rpc, ...) in one process, each row's ratio the ratio of the two
/// medians. On a machine others share, interleaving puts both libraries under the same disturbance, so the ratio
/// holds where BenchmarkDotNet's means, taken minutes apart, do not. A quick check, not a replacement for it.
/// </summary>
public static class PeerSerializerRatios
{
    private static readonly TimeSpan Batch = TimeSpan.FromMilliseconds(20);

    public static void Run(int rounds)
    {
        var b = new PeerSerializerBenchmarks();
        b.Setup();
        (string Row, Action Rpc, Action MemoryPack)[] rows =
        [
            ("1 standard message, serialize", () => b.MessageRpcSerialize(), () => b.MessageMemoryPackSerialize()),
            ("1 standard message, deserialize", () => b.MessageRpcDeserialize(), () => b.MessageMemoryPackDeserialize()),
            ("2 1,000 structs, serialize", () => b.StructsRpcSerialize(), () => b.StructsMemoryPackSerialize()),
            ("2 1,000 structs, deserialize", () => b.StructsRpcDeserialize(), () => b.StructsMemoryPackDeserialize()),
            ("3 100 objects, serialize", () => b.PeopleRpcSerialize(), () => b.PeopleMemoryPackSerialize()),
            ("3 100 objects, deserialize", () => b.PeopleRpcDeserialize(), () => b.PeopleMemoryPackDeserialize()),
            ("4 dictionary of 100, serialize", () => b.DictionaryRpcSerialize(), () => b.DictionaryMemoryPackSerialize()),
            ("4 dictionary of 100, deserialize", () => b.DictionaryRpcDeserialize(), () => b.DictionaryMemoryPackDeserialize()),
            ("5 tree of 255 nodes, serialize", () => b.TreeRpcSerialize(), () => b.TreeMemoryPackSerialize()),
            ("5 tree of 255 nodes, deserialize", () => b.TreeRpcDeserialize(), () => b.TreeMemoryPackDeserialize()),
        ];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Row | Rpc median ns | MemoryPack median ns | Rpc / MemoryPack | Rpc lower in rounds |"));
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach ((string row, Action rpc, Action memoryPack) in rows)
        {
            // Warm-up: both reach the optimized tier before anything counts.
            for (int i = 0; i < 5; i++)
            {
                Measure(rpc);
                Measure(memoryPack);
            }
            var rpcTimes = new double[rounds];
            var memoryPackTimes = new double[rounds];
            int rpcLower = 0;
            for (int round = 0; round < rounds; round++)
            {
                // Alternate which goes first, so neither always follows the other's garbage.
                if (round % 2 == 0)
                {
                    rpcTimes[round] = Measure(rpc);
                    memoryPackTimes[round] = Measure(memoryPack);
                }
                else
                {
                    memoryPackTimes[round] = Measure(memoryPack);
                    rpcTimes[round] = Measure(rpc);
                }
                rpcLower += rpcTimes[round] <= memoryPackTimes[round] ? 1 : 0;
            }
            double rpcMedian = Median(rpcTimes), memoryPackMedian = Median(memoryPackTimes);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {row} | {rpcMedian:N1} | {memoryPackMedian:N1} | {rpcMedian / memoryPackMedian:0.00}x | {rpcLower}/{rounds} |"));
        }
    }

    /// <summary>
    /// <c>--peer-loop METHOD [SECONDS]</c>: runs one of <see cref="PeerSerializerBenchmarks"/>' methods (by name,
    /// e.g. <c>TreeRpcDeserialize</c>) in a loop, for a profiler to attach to.
    /// </summary>
    public static void Loop(string method, double seconds)
    {
        var b = new PeerSerializerBenchmarks();
        b.Setup();
        Action operation = method switch
        {
            nameof(PeerSerializerBenchmarks.TreeRpcSerialize) => () => b.TreeRpcSerialize(),
            nameof(PeerSerializerBenchmarks.TreeMemoryPackSerialize) => () => b.TreeMemoryPackSerialize(),
            nameof(PeerSerializerBenchmarks.TreeRpcDeserialize) => () => b.TreeRpcDeserialize(),
            nameof(PeerSerializerBenchmarks.TreeMemoryPackDeserialize) => () => b.TreeMemoryPackDeserialize(),
            nameof(PeerSerializerBenchmarks.StructsRpcSerialize) => () => b.StructsRpcSerialize(),
            nameof(PeerSerializerBenchmarks.StructsMemoryPackSerialize) => () => b.StructsMemoryPackSerialize(),
            nameof(PeerSerializerBenchmarks.DictionaryRpcDeserialize) => () => b.DictionaryRpcDeserialize(),
            nameof(PeerSerializerBenchmarks.DictionaryMemoryPackDeserialize) => () => b.DictionaryMemoryPackDeserialize(),
            nameof(PeerSerializerBenchmarks.PeopleRpcDeserialize) => () => b.PeopleRpcDeserialize(),
            nameof(PeerSerializerBenchmarks.PeopleMemoryPackDeserialize) => () => b.PeopleMemoryPackDeserialize(),
            _ => throw new ArgumentException($"--peer-loop knows no method {method}."),
        };
        long stop = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        long count = 0;
        while (Stopwatch.GetTimestamp() < stop)
        {
            for (int i = 0; i < 64; i++)
            {
                operation();
            }
            count += 64;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{method}: {count:N0} operations, {seconds * 1e9 / count:N1} ns each"));
    }

    // Nanoseconds per operation over one batch of about Batch.
    private static double Measure(Action operation)
    {
        long start = Stopwatch.GetTimestamp();
        long stop = start + (long)(Batch.TotalSeconds * Stopwatch.Frequency);
        long count = 0;
        long now;
        do
        {
            for (int i = 0; i < 16; i++)
            {
                operation();
            }
            count += 16;
            now = Stopwatch.GetTimestamp();
        }
        while (now < stop);
        return (now - start) * 1e9 / Stopwatch.Frequency / count;
    }

    private static double Median(double[] values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
