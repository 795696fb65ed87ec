using BenchmarkDotNet.Attributes;

namespace Rpc.Benchmarks;

/// <summary>
/// One pick of each built-in load balancer, over 3 and 10,000 Ready instances of equal weight (and of weights 1:2:3
/// repeated, "weighted"): what every call of a balanced client pays before it is sent. A pick must allocate nothing.
/// <c>dotnet run -c Release --project bench/Rpc.Benchmarks -- --filter '*PickBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
public class PickBenchmarks
{
    private RpcPicker _powerOfTwo = null!;
    private RpcPicker _roundRobin = null!;
    private RpcPicker _roundRobinWeighted = null!;
    private RpcPicker _random = null!;
    private RpcPicker _consistentHash = null!;
    private string[] _keys = null!;
    private int _next;

    [Params(3, 10_000)]
    public int Instances { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        RpcPickCandidate[] equal = ClusterSimulation.Candidates(Instances);
        RpcPickCandidate[] weighted = ClusterSimulation.Candidates(Instances, weight: i => 100 * (i % 3 + 1));
        _powerOfTwo = RpcLoadBalancer.PowerOfTwoChoices.CreatePicker(equal, null);
        _roundRobin = RpcLoadBalancer.RoundRobin.CreatePicker(equal, null);
        _roundRobinWeighted = RpcLoadBalancer.RoundRobin.CreatePicker(weighted, null);
        _random = RpcLoadBalancer.Random.CreatePicker(weighted, null);
        _consistentHash = RpcLoadBalancer.ConsistentHash.CreatePicker(equal, null);
        _keys = Enumerable.Range(0, 1024).Select(i => "user-" + i).ToArray();
    }

    [Benchmark(Description = "PowerOfTwoChoices")]
    public int PowerOfTwoChoices() => _powerOfTwo.Pick(null);

    [Benchmark(Description = "RoundRobin")]
    public int RoundRobin() => _roundRobin.Pick(null);

    [Benchmark(Description = "RoundRobin, weighted")]
    public int RoundRobinWeighted() => _roundRobinWeighted.Pick(null);

    [Benchmark(Description = "Random, weighted")]
    public int RandomWeighted() => _random.Pick(null);

    [Benchmark(Description = "ConsistentHash, with a key")]
    public int ConsistentHash() => _consistentHash.Pick(_keys[_next++ & 1023]);
}
