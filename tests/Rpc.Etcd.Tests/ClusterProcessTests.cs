using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using dotnet_etcd;
using Rpc.TestServer;
using Xunit;

namespace Rpc.Etcd.Tests;

/// <summary>
/// Three Rpc.TestServer processes registered in a real etcd behind one balanced client under steady load: one
/// killed with kill -9, all three restarted one at a time, etcd itself stopped for a while.
/// </summary>
[Collection(EtcdCollection.Name)]
public sealed class ClusterProcessTests(EtcdFixture etcd)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const string Service = "probe";
    private const int TtlSeconds = 2;

    private sealed class Cluster : IAsyncDisposable
    {
        private readonly string _endpoints;

        public Cluster(string endpoints, string prefix)
        {
            _endpoints = endpoints;
            Prefix = prefix;
        }

        public string Prefix { get; }

        public List<ProbeServerProcess> Servers { get; } = new();

        public async Task<ProbeServerProcess> StartAsync(string name)
        {
            ProbeServerProcess server = await ProbeServerProcess.StartAsync(name, _endpoints, Prefix, Service, TtlSeconds);
            Servers.Add(server);
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (ProbeServerProcess server in Servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    private EtcdRegistryOptions RegistryOptions(string prefix, string? endpoints = null)
    {
        EtcdRegistryOptions options = etcd.Options(prefix, TimeSpan.FromSeconds(TtlSeconds));
        options.Endpoints = endpoints ?? etcd.Endpoints;
        return options;
    }

    private static RpcClientOptions ClientOptions() => new()
    {
        InitialReconnectDelay = TimeSpan.FromMilliseconds(50),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        SlowStartWindow = TimeSpan.FromSeconds(1),
        // The retry budget must cover the calls one instance can have in flight when it dies: the default 10 tokens
        // stop retrying after the 5th failure, and eight callers can have more than that on one instance.
        RetryPolicy = new RpcRetryPolicy { BudgetMaxTokens = 100 },
    };

    private static async Task<(RpcClient Client, IProbe Probe)> ConnectAsync(EtcdServiceRegistry registry, params string[] names)
    {
        RpcClient client = await RpcClient.ConnectAsync(Service, registry, ClientOptions()).WaitAsync(Timeout);
        IProbe probe = client.CreateProxy<IProbe>();
        // Ready once every instance has answered.
        var seen = new HashSet<string>();
        var waited = Stopwatch.StartNew();
        while (!names.All(seen.Contains))
        {
            Assert.True(waited.Elapsed < Timeout, $"only {string.Join(", ", seen)} answered");
            seen.Add(await probe.NameAsync().AsTask().WaitAsync(Timeout));
        }
        return (client, probe);
    }

    [Fact]
    public async Task Killing_one_of_three_fails_no_idempotent_call_it_leaves_etcd_within_ttl_and_the_others_carry_the_load()
    {
        await using var cluster = new Cluster(etcd.Endpoints, EtcdFixture.UniquePrefix());
        await cluster.StartAsync("a");
        ProbeServerProcess victim = await cluster.StartAsync("b");
        await cluster.StartAsync("c");
        await using var clients = new EtcdServiceRegistry(RegistryOptions(cluster.Prefix));
        await using var watch = new EtcdWatchReader(clients, Service);
        (RpcClient client, IProbe probe) = await ConnectAsync(clients, "a", "b", "c");
        await using RpcClient owned = client;
        // Every renewal of the victim's lease is its own from here on.
        await Task.Delay(TimeSpan.FromSeconds(TtlSeconds));

        var load = new ProbeLoad(probe, (proxy, _) => proxy.NameAsync().AsTask());
        await Task.Delay(500);
        await victim.KillAsync();
        var sinceKill = Stopwatch.StartNew();
        long killed = Environment.TickCount64;

        string[] survivors = cluster.Servers.Where(server => server != victim).Select(server => server.Id).Order().ToArray();
        await watch.WaitForIdsAsync(Timeout, survivors);
        TimeSpan gone = sinceKill.Elapsed;
        await Task.Delay(1000);
        await load.StopAsync();

        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} idempotent calls failed: {load.DescribeFailures()}");
        Assert.True(gone < TimeSpan.FromSeconds(TtlSeconds + 1), $"the killed instance left the etcd listing after {gone.TotalSeconds:0.00} s");
        Dictionary<string, int> after = load.AnsweredSince(killed + 100);
        Assert.False(after.ContainsKey("b"), "the killed instance answered");
        int total = after.Values.Sum();
        Assert.True(total > 200, $"only {total} calls ran after the kill");
        Assert.All(new[] { "a", "c" }, name => Assert.True(after.GetValueOrDefault(name) > total / 4, $"the survivors' shares: {ProbeLoad.Describe(after)}"));
    }

    [Fact]
    public async Task A_graceful_rolling_restart_of_all_three_fails_no_call_of_any_kind()
    {
        await using var cluster = new Cluster(etcd.Endpoints, EtcdFixture.UniquePrefix());
        ProbeServerProcess[] old = [await cluster.StartAsync("a"), await cluster.StartAsync("b"), await cluster.StartAsync("c")];
        await using var clients = new EtcdServiceRegistry(RegistryOptions(cluster.Prefix));
        (RpcClient client, IProbe probe) = await ConnectAsync(clients, "a", "b", "c");
        await using RpcClient owned = client;

        // Calls that are never retried by policy: a write, then a read of who answered.
        var load = new ProbeLoad(probe, async (proxy, i) =>
        {
            await proxy.WriteAsync("w" + i);
            return await proxy.WhoAsync();
        });
        for (int i = 0; i < old.Length; i++)
        {
            string replacement = "new-" + old[i].Name;
            await cluster.StartAsync(replacement);
            await load.WaitForAnswerFromAsync(replacement, Timeout);
            await old[i].TerminateAsync(); // SIGTERM: deregister, GoAway, drain, exit
        }
        long restarted = Environment.TickCount64;
        await Task.Delay(500);
        await load.StopAsync();

        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} calls failed: {load.DescribeFailures()}");
        Assert.True(load.Calls > 300, $"only {load.Calls} calls ran");
        Dictionary<string, int> after = load.AnsweredSince(restarted + 100);
        Assert.Equal(["new-a", "new-b", "new-c"], after.Keys.Order().ToArray());
    }

    [Fact]
    public async Task With_etcd_stopped_under_load_no_instance_is_dropped_calls_go_on_and_everything_converges_after()
    {
        string binary = EtcdProcess.FindBinary() ?? throw new InvalidOperationException(
            "This test stops and restarts an etcd of its own: install the etcd binary (apt-get install etcd-server).");
        await using EtcdProcess ownEtcd = await EtcdProcess.StartNewAsync(binary);
        await using var cluster = new Cluster(ownEtcd.Endpoints, EtcdFixture.UniquePrefix());
        await cluster.StartAsync("a");
        await cluster.StartAsync("b");
        await cluster.StartAsync("c");
        await using var clients = new EtcdServiceRegistry(RegistryOptions(cluster.Prefix, ownEtcd.Endpoints));
        (RpcClient client, IProbe probe) = await ConnectAsync(clients, "a", "b", "c");
        await using RpcClient owned = client;

        var load = new ProbeLoad(probe, async (proxy, i) =>
        {
            await proxy.WriteAsync("w" + i);
            return await proxy.WhoAsync();
        });
        await Task.Delay(300);
        await ownEtcd.StopAsync();
        long stopped = Environment.TickCount64;
        await Task.Delay(TimeSpan.FromSeconds(TtlSeconds * 2 + 1)); // longer than a lease
        Dictionary<string, int> duringOutage = load.AnsweredSince(stopped);

        await ownEtcd.StartAsync();
        long restarted = Environment.TickCount64;
        using var raw = new EtcdClient(ownEtcd.Endpoints);
        string[] ids = cluster.Servers.Select(server => server.Id).Order().ToArray();
        var converging = Stopwatch.StartNew();
        while (true)
        {
            string[] listed = (await raw.GetRangeAsync(cluster.Prefix)).Kvs.Select(kv => kv.Key.ToStringUtf8()[(cluster.Prefix.Length + Service.Length + 1)..]).Order().ToArray();
            if (listed.SequenceEqual(ids))
            {
                break;
            }
            Assert.True(converging.Elapsed < Timeout, $"etcd lists {string.Join(", ", listed)}, not {string.Join(", ", ids)}");
            await Task.Delay(100);
        }
        // A later change still reaches the client: its watch resumed.
        ProbeServerProcess late = await cluster.StartAsync("d");
        await load.WaitForAnswerFromAsync("d", Timeout);
        await Task.Delay(500);
        await load.StopAsync();

        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} calls failed: {load.DescribeFailures()}");
        Assert.Equal(["a", "b", "c"], duringOutage.Keys.Order().ToArray());
        Assert.True(duringOutage.Values.Sum() > 100, $"only {duringOutage.Values.Sum()} calls ran while etcd was down");
        Dictionary<string, int> after = load.AnsweredSince(restarted);
        Assert.Equal(["a", "b", "c", "d"], after.Keys.Order().ToArray());
        Assert.NotNull(late);
    }
}
