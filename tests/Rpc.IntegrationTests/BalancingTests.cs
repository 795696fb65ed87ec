using System.Diagnostics;
using System.Net;
using Rpc.Discovery;
using Rpc.TestServer;

namespace Rpc.IntegrationTests;

/// <summary>A client of a service found in a registry, spread over real servers on loopback.</summary>
public sealed class BalancingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const string Service = "probe";

    private sealed class Cluster : IAsyncDisposable
    {
        public InMemoryServiceRegistry Registry { get; } = new();
        public List<(RpcServer Server, ProbeService Service, IPEndPoint EndPoint)> Servers { get; } = new();

        public async Task<ProbeService> AddAsync(string name, int weight = 100)
        {
            var service = new ProbeService(name);
            var server = new RpcServer();
            server.AddService<IProbe>(service);
            var endPoint = (IPEndPoint)await server.ListenAsync(new IPEndPoint(IPAddress.Loopback, 0));
            await server.RegisterAsync(Registry, new RpcServiceInstance(Service, endPoint) { Weight = weight });
            Servers.Add((server, service, endPoint));
            return service;
        }

        public async ValueTask DisposeAsync()
        {
            foreach ((RpcServer server, _, _) in Servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static RpcClientOptions Options(RpcLoadBalancer balancer) => new()
    {
        LoadBalancer = balancer,
        SlowStartWindow = TimeSpan.Zero,
        InitialReconnectDelay = TimeSpan.FromMilliseconds(50),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
    };

    private static async Task<Dictionary<string, int>> CountAsync(IProbe probe, int calls, int parallel = 8)
    {
        var counts = new Dictionary<string, int>();
        for (int i = 0; i < calls; i += parallel)
        {
            string[] names = await Task.WhenAll(Enumerable.Range(0, parallel).Select(_ => probe.WhoAsync().AsTask())).WaitAsync(Timeout);
            foreach (string name in names)
            {
                counts[name] = counts.GetValueOrDefault(name) + 1;
            }
        }
        return counts;
    }

    private static async Task<RpcClient> ConnectWhenAllReadyAsync(Cluster cluster, RpcLoadBalancer balancer, int instances)
    {
        RpcClient client = await RpcClient.ConnectAsync(Service, cluster.Registry, Options(balancer)).WaitAsync(Timeout);
        var channel = (Client.RpcBalancedChannel)client.Source;
        await ChannelTests.WaitUntilAsync(() => channel.Instances.Count == instances && ReadyCount(client) == instances);
        return client;
    }

    private static int ReadyCount(RpcClient client)
    {
        // Every instance answers at least once in a few hundred weighted picks once all are Ready.
        return ((Client.RpcBalancedChannel)client.Source).ReadyInstances;
    }

    [Theory]
    [InlineData("Random")]
    [InlineData("RoundRobin")]
    public async Task Weights_1_2_3_give_shares_within_10_percent_of_a_sixth_two_sixths_and_three_sixths(string policy)
    {
        RpcLoadBalancer balancer = policy switch
        {
            "Random" => RpcLoadBalancer.Random,
            _ => RpcLoadBalancer.RoundRobin,
        };
        await using var cluster = new Cluster();
        await cluster.AddAsync("one", 100);
        await cluster.AddAsync("two", 200);
        await cluster.AddAsync("three", 300);
        await using RpcClient client = await ConnectWhenAllReadyAsync(cluster, balancer, 3);
        IProbe probe = client.CreateProxy<IProbe>();

        const int calls = 3000;
        Dictionary<string, int> counts = await CountAsync(probe, calls);
        Assert.InRange(counts.GetValueOrDefault("one") / (double)calls, 1 / 6.0 * 0.9, 1 / 6.0 * 1.1);
        Assert.InRange(counts.GetValueOrDefault("two") / (double)calls, 2 / 6.0 * 0.9, 2 / 6.0 * 1.1);
        Assert.InRange(counts.GetValueOrDefault("three") / (double)calls, 3 / 6.0 * 0.9, 3 / 6.0 * 1.1);
    }

    [Fact]
    public async Task PowerOfTwoChoices_sends_a_slow_instance_well_under_its_fair_share()
    {
        await using var cluster = new Cluster();
        ProbeService slow = await cluster.AddAsync("slow");
        await cluster.AddAsync("fast1");
        await cluster.AddAsync("fast2");
        slow.DelayMilliseconds = 50;
        await using RpcClient client = await ConnectWhenAllReadyAsync(cluster, RpcLoadBalancer.PowerOfTwoChoices, 3);
        IProbe probe = client.CreateProxy<IProbe>();

        // Sixteen callers, each calling again as soon as its call returns.
        var counts = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var until = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (until.Elapsed < TimeSpan.FromSeconds(1))
            {
                string name = await probe.WhoAsync();
                counts.AddOrUpdate(name, 1, static (_, n) => n + 1);
            }
        }))).WaitAsync(Timeout);
        double share = counts.GetValueOrDefault("slow") / (double)counts.Values.Sum();
        Assert.True(share < 1 / 3.0 / 2, $"the slow instance got {share:P0} of the calls");
    }

    [Fact]
    public async Task ConsistentHash_keeps_a_key_on_one_instance_and_a_join_moves_about_a_quarter_of_the_keys()
    {
        await using var cluster = new Cluster();
        await cluster.AddAsync("a");
        await cluster.AddAsync("b");
        await cluster.AddAsync("c");
        await using RpcClient client = await ConnectWhenAllReadyAsync(cluster, RpcLoadBalancer.ConsistentHash, 3);
        IProbe probe = client.CreateProxy<IProbe>();

        async Task<string[]> RouteAsync()
        {
            var owners = new string[400];
            for (int key = 0; key < owners.Length; key++)
            {
                using (RpcCallOptions.Push(new RpcCallOptions { HashKey = "user-" + key }))
                {
                    owners[key] = await probe.WhoAsync().AsTask().WaitAsync(Timeout);
                }
            }
            return owners;
        }

        string[] before = await RouteAsync();
        Assert.Equal(before, await RouteAsync());

        await cluster.AddAsync("d");
        await ChannelTests.WaitUntilAsync(() => ReadyCount(client) == 4);
        string[] after = await RouteAsync();
        double moved = before.Zip(after).Count(pair => pair.First != pair.Second) / (double)before.Length;
        Assert.InRange(moved, 0.15, 0.35);
        Assert.All(before.Zip(after).Where(pair => pair.First != pair.Second), pair => Assert.Equal("d", pair.Second));
    }

    [Fact]
    public async Task ConsistentHash_connects_with_every_instance_in_the_ring_so_a_key_never_moves_at_start()
    {
        await using var cluster = new Cluster();
        await cluster.AddAsync("a");
        await cluster.AddAsync("b");
        await cluster.AddAsync("c");
        // A plain connect, as a user writes it: the first keyed calls must already see the ring of all three.
        await using RpcClient client = await RpcClient.ConnectAsync(Service, cluster.Registry, Options(RpcLoadBalancer.ConsistentHash)).WaitAsync(Timeout);
        Assert.Equal(3, ReadyCount(client));
        IProbe probe = client.CreateProxy<IProbe>();
        var owners = new string[30];
        for (int key = 0; key < owners.Length; key++)
        {
            owners[key] = await probe.OwnerAsync(key).AsTask().WaitAsync(Timeout);
        }
        for (int key = 0; key < owners.Length; key++)
        {
            Assert.Equal(owners[key], await probe.OwnerAsync(key).AsTask().WaitAsync(Timeout));
        }
        Assert.Equal(3, owners.Distinct().Count());
    }

    [Fact]
    public async Task ConsistentHash_connects_when_one_listed_instance_is_down()
    {
        await using var cluster = new Cluster();
        await cluster.AddAsync("a");
        await cluster.AddAsync("b");
        // Listed, but nothing listens there: its connect fails, and connecting does not wait out the timeout for it.
        await cluster.Registry.RegisterAsync(new RpcServiceInstance(Service, new IPEndPoint(IPAddress.Loopback, 1)) { Id = "down" });
        var stopwatch = Stopwatch.StartNew();
        await using RpcClient client = await RpcClient.ConnectAsync(Service, cluster.Registry, Options(RpcLoadBalancer.ConsistentHash)).WaitAsync(Timeout);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"connecting took {stopwatch.Elapsed}");
        Assert.Equal(2, ReadyCount(client));
        Assert.Contains(await client.CreateProxy<IProbe>().OwnerAsync(1).AsTask().WaitAsync(Timeout), new[] { "a", "b" });
    }

    [Fact]
    public async Task ConsistentHash_routes_on_the_argument_marked_RpcHashKey()
    {
        await using var cluster = new Cluster();
        await cluster.AddAsync("a");
        await cluster.AddAsync("b");
        await cluster.AddAsync("c");
        await using RpcClient client = await ConnectWhenAllReadyAsync(cluster, RpcLoadBalancer.ConsistentHash, 3);
        IProbe probe = client.CreateProxy<IProbe>();

        var owners = new HashSet<string>();
        for (int key = 0; key < 60; key++)
        {
            string owner = await probe.OwnerAsync(key).AsTask().WaitAsync(Timeout);
            for (int again = 0; again < 3; again++)
            {
                Assert.Equal(owner, await probe.OwnerAsync(key).AsTask().WaitAsync(Timeout));
            }
            owners.Add(owner);
        }
        Assert.Equal(3, owners.Count);
    }

    [Fact]
    public async Task A_new_instance_receives_calls_within_two_seconds_of_registering()
    {
        await using var cluster = new Cluster();
        await cluster.AddAsync("first");
        await using RpcClient client = await ConnectWhenAllReadyAsync(cluster, RpcLoadBalancer.RoundRobin, 1);
        IProbe probe = client.CreateProxy<IProbe>();
        Assert.Equal("first", await probe.WhoAsync().AsTask().WaitAsync(Timeout));

        await cluster.AddAsync("second");
        var stopwatch = Stopwatch.StartNew();
        while (await probe.WhoAsync().AsTask().WaitAsync(Timeout) != "second")
        {
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), "the new instance got no call within 2 s");
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task Stopping_instances_one_at_a_time_under_load_fails_no_call()
    {
        await using var cluster = new Cluster();
        await cluster.AddAsync("a");
        await cluster.AddAsync("b");
        await cluster.AddAsync("c");
        await using RpcClient client = await ConnectWhenAllReadyAsync(cluster, RpcLoadBalancer.PowerOfTwoChoices, 3);
        IProbe probe = client.CreateProxy<IProbe>();

        using var stop = new CancellationTokenSource();
        int failures = 0;
        int calls = 0;
        Task[] load = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await probe.WriteAsync("w");
                    Interlocked.Increment(ref calls);
                }
                catch (RpcException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();

        // A rolling restart: each instance drains (deregistering first) while a replacement joins.
        for (int i = 0; i < 3; i++)
        {
            await Task.Delay(200);
            await cluster.AddAsync("new" + i);
            await ChannelTests.WaitUntilAsync(() => ReadyCount(client) == 4);
            await cluster.Servers[i].Server.StopAsync(new CancellationTokenSource(Timeout).Token);
            await ChannelTests.WaitUntilAsync(() => ReadyCount(client) == 3);
        }
        await Task.Delay(200);
        stop.Cancel();
        await Task.WhenAll(load).WaitAsync(Timeout);
        Assert.True(calls > 100, $"only {calls} calls ran");
        Assert.Equal(0, failures);
    }
}
