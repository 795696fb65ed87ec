using System.Diagnostics;
using System.Net;
using Rpc.Client;
using Rpc.Discovery;

namespace Rpc.Benchmarks;

/// <summary>
/// What the cluster layer does at 10,000 instances, measured and simulated for docs/cluster.md:
/// <c>dotnet run -c Release --project bench/Rpc.Benchmarks -- --cluster-simulation</c>.
/// The picker costs and the ring movement use the runtime's own load balancers; the load-spread and subsetting
/// parts are a seeded model of many clients (same picking rules, no sockets), so every run prints the same spread.
/// </summary>
internal static class ClusterSimulation
{
    private static readonly RpcClientSettings s_settings = new(new RpcClientOptions());

    public static void Run()
    {
        Console.WriteLine("# Cluster simulation");
        PickerCosts();
        RingMovement();
        LoadSpread();
        Subsetting();
    }

    // One candidate per instance, over a subchannel that never connects: a picker needs nothing more.
    internal static RpcPickCandidate[] Candidates(int count, string prefix = "i", Func<int, int>? weight = null)
    {
        var candidates = new RpcPickCandidate[count];
        for (int i = 0; i < count; i++)
        {
            var endPoint = new IPEndPoint(IPAddress.Loopback, 1);
            var instance = new RpcServiceInstance("svc", endPoint) { Id = $"{prefix}{i}", Weight = weight?.Invoke(i) ?? 100 };
            candidates[i] = new RpcPickCandidate(instance, new RpcSubchannel(endPoint, s_settings), TimeSpan.Zero);
        }
        return candidates;
    }

    /// <summary>What a change of the instance set costs a client (a new picker) and what a pick costs, per policy and size.</summary>
    private static void PickerCosts()
    {
        Console.WriteLine();
        Console.WriteLine("## Picker: build per set change, and pick (real balancers)");
        Console.WriteLine();
        Console.WriteLine("| instances | policy | build | pick |");
        Console.WriteLine("| ---: | --- | ---: | ---: |");
        (string Name, RpcLoadBalancer Balancer)[] policies =
        [
            ("PowerOfTwoChoices", RpcLoadBalancer.PowerOfTwoChoices),
            ("RoundRobin", RpcLoadBalancer.RoundRobin),
            ("Random", RpcLoadBalancer.Random),
            ("ConsistentHash", RpcLoadBalancer.ConsistentHash),
        ];
        foreach (int count in new[] { 3, 100, 1_000, 10_000 })
        {
            RpcPickCandidate[] candidates = Candidates(count);
            foreach ((string name, RpcLoadBalancer balancer) in policies)
            {
                RpcPicker picker = balancer.CreatePicker(candidates, null);
                int builds = count >= 10_000 ? 3 : 20;
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < builds; i++)
                {
                    picker = balancer.CreatePicker(candidates, picker);
                }
                TimeSpan build = Stopwatch.GetElapsedTime(start) / builds;

                string[] keys = Enumerable.Range(0, 1024).Select(i => "user-" + i).ToArray();
                int picks = count >= 10_000 && name == "RoundRobin" ? 20_000 : 1_000_000;
                int sink = 0;
                start = Stopwatch.GetTimestamp();
                for (int i = 0; i < picks; i++)
                {
                    sink += picker.Pick(keys[i & 1023]);
                }
                double nanoseconds = Stopwatch.GetElapsedTime(start).TotalNanoseconds / picks;
                GC.KeepAlive(sink);
                Console.WriteLine($"| {count:N0} | {name} | {Format(build)} | {nanoseconds:N0} ns |");
            }
        }
    }

    /// <summary>Keys that change owner when one instance joins N, against the 1/(N+1) the ring promises.</summary>
    private static void RingMovement()
    {
        Console.WriteLine();
        Console.WriteLine("## Consistent hash: keys moved by one join (real ring, 160 points per instance)");
        Console.WriteLine();
        Console.WriteLine("| instances before | keys | moved | 1/(N+1) | all to the newcomer |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | --- |");
        foreach (int count in new[] { 3, 10, 100, 1_000, 10_000 })
        {
            RpcPickCandidate[] before = Candidates(count);
            RpcPickCandidate[] after = [.. before, .. Candidates(1, "joined")];
            RpcPicker ringBefore = RpcLoadBalancer.ConsistentHash.CreatePicker(before, null);
            RpcPicker ringAfter = RpcLoadBalancer.ConsistentHash.CreatePicker(after, null);
            int keys = count >= 1_000 ? 2_000_000 : 200_000;
            int moved = 0;
            bool allToNewcomer = true;
            for (int k = 0; k < keys; k++)
            {
                string key = "key-" + k;
                int was = ringBefore.Pick(key);
                int now = ringAfter.Pick(key);
                if (before[was].Instance.Id != after[now].Instance.Id)
                {
                    moved++;
                    allToNewcomer &= now == count;
                }
            }
            Console.WriteLine($"| {count:N0} | {keys:N0} | {100.0 * moved / keys:0.000}% | {100.0 / (count + 1):0.000}% | {(allToNewcomer ? "yes" : "no")} |");
        }
    }

    /// <summary>
    /// Many clients over 10,000 equal instances, each client keeping its calls in flight and choosing with only
    /// its own view (the in-flight counts a P2C client sees are its own calls'). Time-stepped: each step every call
    /// in flight ends with probability 1/10 and its caller starts the next at once.
    /// </summary>
    private static void LoadSpread()
    {
        Console.WriteLine();
        Console.WriteLine("## Load spread over 10,000 instances (model; calls in flight per instance at steady state)");
        Console.WriteLine();
        Console.WriteLine("| clients x calls in flight each | mean per instance | policy | max | p99 | idle instances |");
        Console.WriteLine("| --- | ---: | --- | ---: | ---: | ---: |");
        const int Instances = 10_000;
        foreach ((int clients, int perClient) in new[] { (1_000, 8), (1_000, 64), (100, 1_000) })
        {
            foreach (string policy in new[] { "Random", "RoundRobin", "PowerOfTwoChoices" })
            {
                int[] load = Simulate(Instances, clients, perClient, policy, subset: null);
                Console.WriteLine($"| {clients:N0} x {perClient:N0} | {clients * perClient / (double)Instances:0.0} | {policy} | {load.Max()} | {Percentile(load, 0.99)} | {100.0 * load.Count(l => l == 0) / Instances:0.0}% |");
            }
        }
    }

    /// <summary>
    /// Each client connected to a subset of the instances instead of all of them: connections per instance and the
    /// load spread, random subsets against deterministic ones (clients in rounds, each round a shuffled partition).
    /// </summary>
    private static void Subsetting()
    {
        Console.WriteLine();
        Console.WriteLine("## Subsetting: 1,000 clients x 64 calls in flight, 10,000 instances (model, PowerOfTwoChoices)");
        Console.WriteLine();
        Console.WriteLine("| subset per client | connections | per instance min / max | load max | load p99 | idle instances |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        const int Instances = 10_000;
        const int Clients = 1_000;
        foreach ((string name, int size, bool deterministic) in new[] { ("all (full mesh)", Instances, true), ("100, random", 100, false), ("100, deterministic", 100, true), ("20, deterministic", 20, true) })
        {
            int[][] subsets = size == Instances
                ? Enumerable.Range(0, Clients).Select(_ => Enumerable.Range(0, Instances).ToArray()).ToArray()
                : deterministic ? DeterministicSubsets(Clients, Instances, size) : RandomSubsets(Clients, Instances, size);
            var connections = new int[Instances];
            foreach (int[] subset in subsets)
            {
                foreach (int instance in subset)
                {
                    connections[instance]++;
                }
            }
            int[] load = Simulate(Instances, Clients, 64, "PowerOfTwoChoices", subsets);
            Console.WriteLine($"| {name} | {(long)Clients * size:N0} | {connections.Min()} / {connections.Max()} | {load.Max()} | {Percentile(load, 0.99)} | {100.0 * load.Count(l => l == 0) / Instances:0.0}% |");
        }
    }

    // Returns the calls in flight per instance after the run (averaged shape: the last step's snapshot).
    private static int[] Simulate(int instances, int clients, int perClient, string policy, int[][]? subset)
    {
        var random = new Random(42);
        var load = new int[instances];
        var own = new Dictionary<int, int>[clients];
        var cursor = new int[clients];
        var calls = new int[clients * perClient];
        for (int c = 0; c < clients; c++)
        {
            own[c] = new Dictionary<int, int>();
            cursor[c] = random.Next(subset?[c].Length ?? instances);
        }
        int Pick(int client)
        {
            int[]? mine = subset?[client];
            int size = mine?.Length ?? instances;
            int Choose(int index) => mine is null ? index : mine[index];
            switch (policy)
            {
                case "Random":
                    return Choose(random.Next(size));
                case "RoundRobin":
                    cursor[client] = (cursor[client] + 1) % size;
                    return Choose(cursor[client]);
                default:
                    // The runtime's rule with equal weights: fewer of this client's calls in flight wins.
                    int a = Choose(random.Next(size));
                    int b = Choose(random.Next(size));
                    return own[client].GetValueOrDefault(a) <= own[client].GetValueOrDefault(b) ? a : b;
            }
        }
        void Start(int slot)
        {
            int client = slot / perClient;
            int instance = Pick(client);
            calls[slot] = instance;
            load[instance]++;
            own[client][instance] = own[client].GetValueOrDefault(instance) + 1;
        }
        void End(int slot)
        {
            int client = slot / perClient;
            int instance = calls[slot];
            load[instance]--;
            if (--own[client][instance] == 0)
            {
                own[client].Remove(instance);
            }
        }
        for (int slot = 0; slot < calls.Length; slot++)
        {
            Start(slot);
        }
        for (int step = 0; step < 100; step++)
        {
            for (int slot = 0; slot < calls.Length; slot++)
            {
                if (random.Next(10) == 0)
                {
                    End(slot);
                    Start(slot);
                }
            }
        }
        return load;
    }

    private static int[][] RandomSubsets(int clients, int instances, int size)
    {
        var random = new Random(7);
        return Enumerable.Range(0, clients).Select(_ =>
        {
            var chosen = new HashSet<int>();
            while (chosen.Count < size)
            {
                chosen.Add(random.Next(instances));
            }
            return chosen.ToArray();
        }).ToArray();
    }

    // Deterministic subsetting (Site Reliability Engineering, ch. 20): clients go in rounds of instances/size; each
    // round shuffles the instances with the round number as the seed and gives each client of the round one slice,
    // so every instance gets the same number of clients to within one.
    private static int[][] DeterministicSubsets(int clients, int instances, int size)
    {
        int perRound = instances / size;
        var subsets = new int[clients][];
        for (int client = 0; client < clients; client++)
        {
            int round = client / perRound;
            int[] order = Enumerable.Range(0, instances).ToArray();
            new Random(round).Shuffle(order);
            subsets[client] = order.AsSpan((client % perRound) * size, size).ToArray();
        }
        return subsets;
    }

    private static int Percentile(int[] values, double quantile)
    {
        int[] sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))];
    }

    private static string Format(TimeSpan elapsed) => elapsed.TotalMilliseconds >= 1
        ? $"{elapsed.TotalMilliseconds:N1} ms"
        : $"{elapsed.TotalMicroseconds:N1} µs";
}
