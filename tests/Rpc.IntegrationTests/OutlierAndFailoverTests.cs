using System.Net;
using Rpc.Discovery;
using Rpc.IntegrationTests.Support;
using Rpc.TestServer;

namespace Rpc.IntegrationTests;

/// <summary>
/// A balanced client when one instance misbehaves on the wire: its connection is cut as soon as the server answers
/// (the request arrived, the response is lost), through a <see cref="FaultProxy"/> in front of a real server.
/// </summary>
public sealed class OutlierAndFailoverTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const string Service = "probe";

    private sealed class Cluster : IAsyncDisposable
    {
        private readonly List<IAsyncDisposable> _owned = new();

        public InMemoryServiceRegistry Registry { get; } = new();

        /// <summary>A server registered under <paramref name="id"/>; behind a proxy (returned) when <paramref name="faulty"/>.</summary>
        public async Task<(ProbeService Service, FaultProxy? Proxy)> AddAsync(string id, bool faulty = false)
        {
            var service = new ProbeService(id);
            var server = new RpcServer();
            server.AddService<IProbe>(service);
            _owned.Add(server);
            var endPoint = (IPEndPoint)await server.ListenAsync(new IPEndPoint(IPAddress.Loopback, 0));
            FaultProxy? proxy = null;
            if (faulty)
            {
                proxy = new FaultProxy(endPoint);
                _owned.Add(proxy);
                endPoint = proxy.EndPoint;
            }
            await Registry.RegisterAsync(new RpcServiceInstance(Service, endPoint) { Id = id });
            return (service, proxy);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (IAsyncDisposable owned in _owned)
            {
                await owned.DisposeAsync();
            }
        }
    }

    private static RpcClientOptions Options(RpcLoadBalancer balancer, RpcOutlierDetection? outliers) => new()
    {
        LoadBalancer = balancer,
        SlowStartWindow = TimeSpan.Zero,
        InitialReconnectDelay = TimeSpan.FromMilliseconds(20),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(100),
        OutlierDetection = outliers,
        // Every first attempt on the faulty instance fails: a budget that lasts, so only failover decides.
        RetryPolicy = new RpcRetryPolicy
        {
            InitialBackoff = TimeSpan.FromMilliseconds(1),
            MaxBackoff = TimeSpan.FromMilliseconds(5),
            BudgetMaxTokens = 1000,
            BudgetTokenRatio = 1,
        },
    };

    private static async Task<RpcClient> ConnectAllAsync(Cluster cluster, RpcClientOptions options, int instances)
    {
        RpcClient client = await RpcClient.ConnectAsync(Service, cluster.Registry, options).WaitAsync(Timeout);
        await ChannelTests.WaitUntilAsync(() => Channel(client).ReadyInstances == instances);
        return client;
    }

    private static Client.RpcBalancedChannel Channel(RpcClient client) => (Client.RpcBalancedChannel)client.Source;

    [Fact]
    public async Task A_retry_goes_to_another_instance_so_idempotent_calls_all_succeed_while_one_drops_every_response()
    {
        await using var cluster = new Cluster();
        // PickFirst sends every first attempt to "a-bad" whenever it is Ready: only failover can save the call.
        (ProbeService bad, FaultProxy? proxy) = await cluster.AddAsync("a-bad", faulty: true);
        (ProbeService good, _) = await cluster.AddAsync("b-good");
        await using RpcClient client = await ConnectAllAsync(cluster, Options(RpcLoadBalancer.PickFirst, outliers: null), 2);
        IProbe probe = client.CreateProxy<IProbe>();
        proxy!.CutOnNextResponses(int.MaxValue);

        const int calls = 100;
        for (int i = 0; i < calls; i++)
        {
            // The faulty instance reconnects at once; wait until it is back so that each call starts there.
            await ChannelTests.WaitUntilAsync(() => Channel(client).ReadyInstances == 2 && Channel(client).Pick(null, null) is { IsClosing: false });
            Assert.Equal(1, await probe.ReadAsync("k" + i).AsTask().WaitAsync(Timeout));
        }
        Assert.Equal(calls, Enumerable.Range(0, calls).Sum(i => good.Runs("k" + i)));
        int triedOnBad = Enumerable.Range(0, calls).Count(i => bad.Runs("k" + i) > 0);
        Assert.True(triedOnBad > calls / 2, $"only {triedOnBad} calls went to the faulty instance first");
    }

    [Fact]
    public async Task An_instance_whose_connection_keeps_dropping_is_ejected_and_returns_when_its_time_is_up()
    {
        await using var cluster = new Cluster();
        (ProbeService bad, FaultProxy? proxy) = await cluster.AddAsync("bad", faulty: true);
        await cluster.AddAsync("good");
        var outliers = new RpcOutlierDetection { FailureThreshold = 3, BaseEjectionTime = TimeSpan.FromSeconds(2) };
        await using RpcClient client = await ConnectAllAsync(cluster, Options(RpcLoadBalancer.RoundRobin, outliers), 2);
        IProbe probe = client.CreateProxy<IProbe>();
        proxy!.CutOnNextResponses(int.MaxValue);

        // Idempotent calls fail over while the faulty instance collects its failures; none fails.
        for (int i = 0; Channel(client).EjectedInstances.Count == 0; i++)
        {
            Assert.True(i < 200, "the faulty instance was not ejected after 200 calls");
            Assert.Equal(1, await probe.ReadAsync("r" + i).AsTask().WaitAsync(Timeout));
        }
        Assert.Equal(["bad"], Channel(client).EjectedInstances);
        Assert.Equal(1, Channel(client).ReadyInstances);

        // While it is out, even calls that are never retried all succeed: none goes there.
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal("good", await probe.WhoAsync().AsTask().WaitAsync(Timeout));
        }

        // Healed, it comes back by itself when its ejection is over.
        proxy.CutOnNextResponses(0);
        await ChannelTests.WaitUntilAsync(() => Channel(client).EjectedInstances.Count == 0 && Channel(client).ReadyInstances == 2);
        var back = System.Diagnostics.Stopwatch.StartNew();
        while (await probe.WhoAsync().AsTask().WaitAsync(Timeout) != "bad")
        {
            Assert.True(back.Elapsed < Timeout, "the healed instance got no call");
        }
        Assert.Contains(Enumerable.Range(0, 200), i => bad.Runs("r" + i) > 0);
    }

    [Fact]
    public async Task Streams_that_an_instance_keeps_dropping_eject_it_too()
    {
        await using var cluster = new Cluster();
        (_, FaultProxy? proxy) = await cluster.AddAsync("bad", faulty: true);
        await cluster.AddAsync("good");
        var outliers = new RpcOutlierDetection { FailureThreshold = 3, BaseEjectionTime = TimeSpan.FromSeconds(30) };
        await using RpcClient client = await ConnectAllAsync(cluster, Options(RpcLoadBalancer.RoundRobin, outliers), 2);
        IProbe probe = client.CreateProxy<IProbe>();
        proxy!.CutOnNextResponses(int.MaxValue);

        // Streams are never retried: those on the faulty instance fail, and each dropped connection counts.
        int dropped = 0;
        for (int i = 0; Channel(client).EjectedInstances.Count == 0; i++)
        {
            Assert.True(i < 200, "the faulty instance was not ejected after 200 streams");
            await ChannelTests.WaitUntilAsync(() => Channel(client).ReadyInstances == 2 || Channel(client).EjectedInstances.Count > 0);
            try
            {
                Assert.Equal(3, await CountItemsAsync(probe).WaitAsync(Timeout));
            }
            catch (RpcException e) when (e.StatusCode == RpcStatusCode.Unavailable)
            {
                dropped++;
            }
        }
        Assert.Equal(["bad"], Channel(client).EjectedInstances);
        Assert.True(dropped >= outliers.FailureThreshold, $"ejected after {dropped} dropped streams");

        // While it is out, every stream goes to the healthy instance and completes.
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(3, await CountItemsAsync(probe).WaitAsync(Timeout));
        }
    }

    private static async Task<int> CountItemsAsync(IProbe probe)
    {
        int items = 0;
        await foreach (int _ in probe.CountAsync(3, 0))
        {
            items++;
        }
        return items;
    }

    [Fact]
    public async Task Statuses_returned_by_the_server_never_eject_an_instance()
    {
        await using var cluster = new Cluster();
        await cluster.AddAsync("a");
        await cluster.AddAsync("b");
        RpcClientOptions options = Options(RpcLoadBalancer.RoundRobin, new RpcOutlierDetection { FailureThreshold = 1 });
        options.RetryPolicy = null;
        await using RpcClient client = await ConnectAllAsync(cluster, options, 2);
        IProbe probe = client.CreateProxy<IProbe>();

        for (int i = 0; i < 20; i++)
        {
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => probe.FailAsync(RpcStatusCode.Unavailable).AsTask().WaitAsync(Timeout));
            Assert.Equal(RpcStatusCode.Unavailable, error.StatusCode);
        }
        Assert.Empty(Channel(client).EjectedInstances);
        Assert.Equal(2, Channel(client).ReadyInstances);
    }

    [Fact]
    public async Task At_most_half_the_instances_are_ejected_even_when_every_one_keeps_failing()
    {
        await using var cluster = new Cluster();
        (_, FaultProxy? first) = await cluster.AddAsync("a", faulty: true);
        (_, FaultProxy? second) = await cluster.AddAsync("b", faulty: true);
        var outliers = new RpcOutlierDetection { FailureThreshold = 2, BaseEjectionTime = TimeSpan.FromSeconds(5) };
        await using RpcClient client = await ConnectAllAsync(cluster, Options(RpcLoadBalancer.RoundRobin, outliers), 2);
        IProbe probe = client.CreateProxy<IProbe>();
        first!.CutOnNextResponses(int.MaxValue);
        second!.CutOnNextResponses(int.MaxValue);

        for (int i = 0; i < 40; i++)
        {
            using (RpcCallOptions.Push(new RpcCallOptions { WaitForReady = true, Timeout = Timeout }))
            {
                RpcException error = await Assert.ThrowsAnyAsync<RpcException>(() => probe.ReadAsync("r").AsTask().WaitAsync(Timeout));
                Assert.Equal(RpcStatusCode.Unavailable, error.StatusCode);
            }
            Assert.True(Channel(client).EjectedInstances.Count <= 1, "both instances were ejected");
        }
        Assert.Single(Channel(client).EjectedInstances);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    [InlineData(2, 51)]
    [InlineData(3, 0)]
    public async Task Outlier_options_out_of_range_are_refused_when_connecting(int which, int value)
    {
        var outliers = new RpcOutlierDetection();
        switch (which)
        {
            case 0: outliers.FailureThreshold = value - 1; break;
            case 1: outliers.BaseEjectionTime = TimeSpan.FromSeconds(value); break;
            case 2: outliers.MaxEjectionPercent = value; break;
            case 3: outliers.MaxEjectionTime = TimeSpan.FromMilliseconds(500); break;
        }
        var options = new RpcClientOptions { OutlierDetection = outliers };
        ArgumentOutOfRangeException error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => RpcClient.ConnectAsync(Service, new InMemoryServiceRegistry(), options));
        Assert.StartsWith("OutlierDetection.", error.ParamName);
    }
}
