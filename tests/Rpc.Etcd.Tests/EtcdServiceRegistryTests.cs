using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using dotnet_etcd;
using Etcdserverpb;
using Rpc.Discovery;
using Xunit;

namespace Rpc.Etcd.Tests;

[Collection(EtcdCollection.Name)]
public sealed class EtcdServiceRegistryTests(EtcdFixture etcd)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private static RpcServiceInstance Instance(string service, int port) => new(service, new IPEndPoint(IPAddress.Loopback, port));

    [Fact]
    public async Task A_registration_appears_in_another_registrys_watch_and_disposing_it_removes_it()
    {
        string prefix = EtcdFixture.UniquePrefix();
        await using var servers = new EtcdServiceRegistry(etcd.Options(prefix, TimeSpan.FromSeconds(5)));
        await using var clients = new EtcdServiceRegistry(etcd.Options(prefix, TimeSpan.FromSeconds(5)));
        await using var watch = new EtcdWatchReader(clients, "orders");
        await watch.WaitForIdsAsync(Timeout); // the first set: empty

        IAsyncDisposable first = await servers.RegisterAsync(Instance("orders", 5001));
        await watch.WaitForIdsAsync(Timeout, "127.0.0.1:5001");
        IAsyncDisposable second = await servers.RegisterAsync(Instance("orders", 5002) with { Weight = 7 });
        await watch.WaitForIdsAsync(Timeout, "127.0.0.1:5001", "127.0.0.1:5002");
        Assert.Equal(7, watch.Sets[^1][1].Weight);

        await first.DisposeAsync();
        await watch.WaitForIdsAsync(Timeout, "127.0.0.1:5002");
        await second.DisposeAsync();
        await watch.WaitForIdsAsync(Timeout);
    }

    [Fact]
    public async Task The_key_is_prefix_service_and_id_and_its_value_is_json_with_address_weight_and_metadata()
    {
        string prefix = EtcdFixture.UniquePrefix();
        await using var registry = new EtcdServiceRegistry(etcd.Options(prefix, TimeSpan.FromSeconds(5)));
        var instance = new RpcServiceInstance("orders", new DnsEndPoint("node-1.internal", 5050))
        {
            Id = "node-1",
            Weight = 30,
            Metadata = new Dictionary<string, string> { ["zone"] = "eu-1" },
        };
        await using IAsyncDisposable registration = await registry.RegisterAsync(instance);

        using var raw = new EtcdClient(etcd.Endpoints);
        RangeResponse range = await raw.GetAsync(prefix + "orders/node-1");
        Mvccpb.KeyValue kv = Assert.Single(range.Kvs);
        Assert.NotEqual(0, kv.Lease);
        using JsonDocument json = JsonDocument.Parse(kv.Value.ToStringUtf8());
        Assert.Equal("node-1", json.RootElement.GetProperty("id").GetString());
        Assert.Equal("node-1.internal:5050", json.RootElement.GetProperty("address").GetString());
        Assert.Equal(30, json.RootElement.GetProperty("weight").GetInt32());
        Assert.Equal("eu-1", json.RootElement.GetProperty("metadata").GetProperty("zone").GetString());

        await using var watch = new EtcdWatchReader(registry, "orders");
        await watch.WaitForIdsAsync(Timeout, "node-1");
        Assert.Equal(instance, Assert.Single(watch.Sets[^1]));
    }

    [Fact]
    public async Task A_killed_process_leaves_the_listing_within_its_lease_ttl_plus_one_second()
    {
        const int ttlSeconds = 2;
        string prefix = EtcdFixture.UniquePrefix();
        await using var clients = new EtcdServiceRegistry(etcd.Options(prefix, TimeSpan.FromSeconds(ttlSeconds)));
        await using var watch = new EtcdWatchReader(clients, "orders");
        await watch.WaitForIdsAsync(Timeout);

        using Process child = StartRegistrant(prefix, "orders", 6001, ttlSeconds);
        try
        {
            string? line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(line == "registered", $"The registrant printed '{line}'; stderr: {await ReadErrorAsync(child)}");
            await watch.WaitForIdsAsync(Timeout, "127.0.0.1:6001");
            // Let a renewal or two pass, so the lease is known to be kept alive by the child and nothing else.
            await Task.Delay(TimeSpan.FromSeconds(ttlSeconds));
            await watch.WaitForIdsAsync(Timeout, "127.0.0.1:6001");
        }
        finally
        {
            child.Kill(); // SIGKILL: no disposal, no revoke; only the lease's expiry removes the key
        }

        var sinceKill = Stopwatch.StartNew();
        await child.WaitForExitAsync();
        await watch.WaitForIdsAsync(Timeout);
        TimeSpan gone = sinceKill.Elapsed;
        Assert.True(gone < TimeSpan.FromSeconds(ttlSeconds + 1), $"The killed instance left the listing after {gone.TotalSeconds:0.00} s.");

        using var raw = new EtcdClient(etcd.Endpoints);
        Assert.Empty((await raw.GetRangeAsync(prefix)).Kvs);
    }

    [Fact]
    public async Task A_lapsed_lease_is_granted_again_and_the_key_written_again()
    {
        string prefix = EtcdFixture.UniquePrefix();
        var log = new ConcurrentQueue<string>();
        await using var registry = new EtcdServiceRegistry(etcd.Options(prefix, TimeSpan.FromSeconds(3), log));
        await using IAsyncDisposable registration = await registry.RegisterAsync(Instance("orders", 5001));
        await using var watch = new EtcdWatchReader(registry, "orders");
        await watch.WaitForIdsAsync(Timeout, "127.0.0.1:5001");

        // The lease ends under the registration (as when etcd expired it during a long pause of this process).
        using var raw = new EtcdClient(etcd.Endpoints);
        string key = prefix + "orders/127.0.0.1:5001";
        long lease = Assert.Single((await raw.GetAsync(key)).Kvs).Lease;
        await raw.LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease });

        // The key went with the lease; the registration puts it back under a new one within a renewal period.
        var revoked = Stopwatch.StartNew();
        long newLease = 0;
        while (newLease == 0 || newLease == lease)
        {
            Assert.True(revoked.Elapsed < Timeout, "The key was not written again.");
            await Task.Delay(50);
            newLease = (await raw.GetAsync(key)).Kvs.FirstOrDefault()?.Lease ?? 0;
        }

        await watch.WaitForIdsAsync(Timeout, "127.0.0.1:5001");
        Assert.Contains(watch.Sets, set => set.Count == 0);
        Assert.Contains(log, message => message.Contains("lapsed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task While_etcd_is_down_watchers_keep_the_last_set_and_after_it_returns_everything_converges()
    {
        string binary = EtcdProcess.FindBinary() ?? throw new InvalidOperationException(
            "This test stops and restarts an etcd of its own: install the etcd binary (apt-get install etcd-server).");
        await using EtcdProcess ownEtcd = await EtcdProcess.StartNewAsync(binary);
        string prefix = EtcdFixture.UniquePrefix();
        var serverLog = new ConcurrentQueue<string>();
        var clientLog = new ConcurrentQueue<string>();
        EtcdRegistryOptions Options(ConcurrentQueue<string> log)
        {
            EtcdRegistryOptions options = etcd.Options(prefix, TimeSpan.FromSeconds(3), log);
            options.Endpoints = ownEtcd.Endpoints;
            return options;
        }

        await using var servers = new EtcdServiceRegistry(Options(serverLog));
        await using var clients = new EtcdServiceRegistry(Options(clientLog));
        await using IAsyncDisposable first = await servers.RegisterAsync(Instance("orders", 5001));
        await using var watch = new EtcdWatchReader(clients, "orders");
        await watch.WaitForIdsAsync(Timeout, "127.0.0.1:5001");
        int setsBefore = watch.Sets.Length;

        await ownEtcd.StopAsync();
        Task<IAsyncDisposable> second = servers.RegisterAsync(Instance("orders", 5002)).AsTask();
        await Task.Delay(TimeSpan.FromSeconds(5)); // longer than the lease TTL

        Assert.False(second.IsCompleted, "A registration completed while etcd was down.");
        Assert.Equal(setsBefore, watch.Sets.Length); // nothing yielded: in particular no empty list
        Assert.NotEmpty(clientLog); // the broken watch was reported
        Assert.NotEmpty(serverLog); // and so were the failed renewals and registration tries

        await ownEtcd.StartAsync();
        await using IAsyncDisposable secondHandle = await second.WaitAsync(Timeout);
        await watch.WaitForIdsAsync(Timeout, "127.0.0.1:5001", "127.0.0.1:5002");
        Assert.All(watch.Sets, set => Assert.NotEmpty(set));

        using var raw = new EtcdClient(ownEtcd.Endpoints);
        Assert.Equal(2, (await raw.GetRangeAsync(prefix)).Kvs.Count);
        // The first registration's lease survived the outage or was granted again: either way it stays listed.
        await Task.Delay(TimeSpan.FromSeconds(4));
        await watch.WaitForIdsAsync(Timeout, "127.0.0.1:5001", "127.0.0.1:5002");
        Assert.Equal(2, (await raw.GetRangeAsync(prefix)).Kvs.Count);
    }

    [Fact]
    public async Task A_watch_resuming_at_a_compacted_revision_lists_again_and_yields_the_current_set()
    {
        string prefix = EtcdFixture.UniquePrefix();
        var log = new ConcurrentQueue<string>();
        EtcdRegistryOptions options = etcd.Options(prefix, TimeSpan.FromSeconds(5), log);
        await using var registry = new EtcdServiceRegistry(options);
        await using IAsyncDisposable registration = await registry.RegisterAsync(Instance("orders", 5001));

        using var raw = new EtcdClient(etcd.Endpoints);
        PutResponse put = await raw.PutAsync(prefix + "other/x", "y");
        await raw.CompactAsync(new CompactionRequest { Revision = put.Header.Revision });

        // A watch that was away since revision 1 (as after a long disconnect): etcd answers that the revisions
        // it needs are compacted, and the watch falls back to a listing.
        using var connection = new EtcdConnection(options);
        var output = System.Threading.Channels.Channel.CreateUnbounded<IReadOnlyList<RpcServiceInstance>>();
        using var stop = new CancellationTokenSource();
        Task running = new EtcdServiceWatch(connection, "orders", output.Writer, resumeAfterRevision: 1).RunAsync(stop.Token);
        IReadOnlyList<RpcServiceInstance> set = await output.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal("127.0.0.1:5001", Assert.Single(set).Id);
        Assert.Contains(log, message => message.Contains("compacted", StringComparison.Ordinal));
        stop.Cancel();
        await running.WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_value_that_is_not_an_instance_is_left_out_and_logged()
    {
        string prefix = EtcdFixture.UniquePrefix();
        var log = new ConcurrentQueue<string>();
        using var raw = new EtcdClient(etcd.Endpoints);
        await raw.PutAsync(prefix + "orders/garbage", "not json");
        await using var registry = new EtcdServiceRegistry(etcd.Options(prefix, TimeSpan.FromSeconds(5), log));
        await using IAsyncDisposable registration = await registry.RegisterAsync(Instance("orders", 5001));
        await using var watch = new EtcdWatchReader(registry, "orders");
        await watch.WaitForIdsAsync(Timeout, "127.0.0.1:5001");
        Assert.Contains(log, message => message.Contains("garbage", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Services_sharing_a_name_prefix_do_not_see_each_other()
    {
        string prefix = EtcdFixture.UniquePrefix();
        await using var registry = new EtcdServiceRegistry(etcd.Options(prefix, TimeSpan.FromSeconds(5)));
        await using IAsyncDisposable a = await registry.RegisterAsync(Instance("orders", 5001));
        await using IAsyncDisposable b = await registry.RegisterAsync(Instance("orders-v2", 5002));
        await using IAsyncDisposable c = await registry.RegisterAsync(Instance("orders/v3", 5003));
        await using var watch = new EtcdWatchReader(registry, "orders");
        await watch.WaitForIdsAsync(Timeout, "127.0.0.1:5001");
        await using var slashed = new EtcdWatchReader(registry, "orders/v3");
        await slashed.WaitForIdsAsync(Timeout, "127.0.0.1:5003");
    }

    [Fact]
    public async Task Registering_against_an_unreachable_etcd_retries_until_the_token_fires_and_logs_each_failure()
    {
        var log = new ConcurrentQueue<string>();
        EtcdRegistryOptions options = etcd.Options(EtcdFixture.UniquePrefix(), TimeSpan.FromSeconds(5), log);
        options.Endpoints = "http://127.0.0.1:1"; // nothing listens there
        await using var registry = new EtcdServiceRegistry(options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await registry.RegisterAsync(Instance("orders", 5001), timeout.Token));
        Assert.True(log.Count >= 2, $"Expected a logged failure per try, got: {string.Join(" | ", log)}");

        // A watch yields nothing rather than an empty list it has not read from etcd.
        await using var watch = new EtcdWatchReader(registry, "orders");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(watch.Sets);
    }

    [Fact]
    public async Task Disposing_the_registry_revokes_its_registrations_and_ends_its_watches()
    {
        string prefix = EtcdFixture.UniquePrefix();
        var registry = new EtcdServiceRegistry(etcd.Options(prefix, TimeSpan.FromSeconds(30)));
        await registry.RegisterAsync(Instance("orders", 5001));
        var watch = registry.WatchAsync("orders").GetAsyncEnumerator();
        Assert.True(await watch.MoveNextAsync());
        ValueTask<bool> next = watch.MoveNextAsync();

        await registry.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await next);
        using var raw = new EtcdClient(etcd.Endpoints);
        Assert.Empty((await raw.GetRangeAsync(prefix)).Kvs); // revoked at once, not 30 s later
        Assert.Throws<ObjectDisposedException>(() => registry.WatchAsync("orders"));
    }

    private Process StartRegistrant(string prefix, string service, int port, int ttlSeconds)
    {
        string dotnet = Environment.ProcessPath is { } host && System.IO.Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(RegistrantProgram).Assembly.Location);
        foreach (string argument in new[] { "register", etcd.Endpoints, prefix, service, port.ToString(System.Globalization.CultureInfo.InvariantCulture), ttlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("Could not start the registrant.");
    }

    private static async Task<string> ReadErrorAsync(Process process)
    {
        try
        {
            return await process.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
            return "(still running)";
        }
    }
}
