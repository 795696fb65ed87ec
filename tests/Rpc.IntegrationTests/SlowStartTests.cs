using System.Net;
using Rpc.Discovery;
using Rpc.TestServer;

namespace Rpc.IntegrationTests;

/// <summary>A new instance's weight ramps up over the slow-start window: few calls at first, its full share after.</summary>
public sealed class SlowStartTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_joining_instance_gets_a_small_share_at_first_and_its_full_share_after_the_window()
    {
        var registry = new InMemoryServiceRegistry();
        var servers = new List<RpcServer>();
        async Task AddAsync(string name)
        {
            var server = new RpcServer();
            server.AddService<IProbe>(new ProbeService(name));
            servers.Add(server);
            EndPoint endPoint = await server.ListenAsync(new IPEndPoint(IPAddress.Loopback, 0));
            await server.RegisterAsync(registry, new RpcServiceInstance("probe", endPoint));
        }
        try
        {
            var window = TimeSpan.FromSeconds(2);
            await AddAsync("a");
            await AddAsync("b");
            await using RpcClient client = await RpcClient.ConnectAsync("probe", registry, new RpcClientOptions
            {
                LoadBalancer = RpcLoadBalancer.Random,
                SlowStartWindow = window,
            }).WaitAsync(Timeout);
            var channel = (Client.RpcBalancedChannel)client.Source;
            await ChannelTests.WaitUntilAsync(() => channel.ReadyInstances == 2);
            // a and b finish their own ramp first.
            await Task.Delay(window);
            IProbe probe = client.CreateProxy<IProbe>();

            await AddAsync("c");
            await ChannelTests.WaitUntilAsync(() => channel.ReadyInstances == 3);
            double early = await ShareAsync(probe, "c", TimeSpan.FromMilliseconds(400));
            await Task.Delay(window);
            double late = await ShareAsync(probe, "c", TimeSpan.FromMilliseconds(600));

            // Weight 10 % to 28 % of a full one over the first 400 ms (a share of at most 12 %); a third after.
            Assert.True(early < 0.17, $"the new instance got {early:P0} of the calls at first");
            Assert.InRange(late, 0.25, 0.42);
        }
        finally
        {
            foreach (RpcServer server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static async Task<double> ShareAsync(IProbe probe, string name, TimeSpan duration)
    {
        int calls = 0;
        int hits = 0;
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        while (stopwatch.Elapsed < duration)
        {
            string[] answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => probe.WhoAsync().AsTask())).WaitAsync(Timeout);
            calls += answers.Length;
            hits += answers.Count(answer => answer == name);
        }
        return hits / (double)calls;
    }
}
