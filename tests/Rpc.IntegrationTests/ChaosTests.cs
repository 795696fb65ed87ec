using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using Rpc;
using Rpc.IntegrationTests.Support;

namespace Rpc.IntegrationTests;

/// <summary>
/// Many concurrent calls of every shape through a <see cref="ChaosProxy"/>: every payload arrives intact or the call
/// fails with a status by its deadline; nothing hangs (each test is bounded), and afterwards no connection is left
/// open, neither at the proxy nor at the server.
/// </summary>
public sealed class ChaosTests
{
    private static readonly TimeSpan TestBound = TimeSpan.FromSeconds(90);
    // How late a failure may come after its deadline: timers, a loaded machine.
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    [Theory]
    [InlineData("latency with jitter")]
    [InlineData("one-byte slices")]
    [InlineData("a bandwidth cap")]
    public async Task Every_payload_arrives_intact_through(string fault)
    {
        (ChaosFaults faults, Workload workload) = fault switch
        {
            "latency with jitter" => (new ChaosFaults { Latency = TimeSpan.FromMilliseconds(2), Jitter = TimeSpan.FromMilliseconds(10) }, new Workload(48, 32 * 1024, 4, 16, 8 * 1024)),
            "one-byte slices" => (new ChaosFaults { SliceSize = 1 }, new Workload(24, 2 * 1024, 4, 8, 512)),
            _ => (new ChaosFaults { BytesPerSecond = 512 * 1024 }, new Workload(32, 8 * 1024, 4, 8, 2 * 1024)),
        };
        await RunBoundedAsync(async () =>
        {
            await using ChaosSetup setup = await ChaosSetup.StartAsync(faults);
            await using (RpcClient client = await RpcClient.ConnectAsync(setup.Proxy.EndPoint).WaitAsync(TestBound))
            {
                Outcome[] outcomes = await RunMixAsync(client.CreateProxy<IChaosService>(), workload, TimeSpan.FromSeconds(30));
                Assert.All(outcomes, outcome => Assert.True(outcome.Error is null, $"{outcome.Call} failed: {outcome.Error}"));
            }
            await setup.AssertNothingLeftOpenAsync();
        });
    }

    [Fact]
    public async Task A_reset_in_the_middle_of_a_frame_fails_the_calls_in_flight_with_Unavailable_and_the_next_connection_works()
    {
        await RunBoundedAsync(async () =>
        {
            await using ChaosSetup setup = await ChaosSetup.StartAsync(new ChaosFaults { ResetInServerFrame = 12 });
            var workload = new Workload(32, 16 * 1024, 4, 16, 4 * 1024);
            TimeSpan timeout = TimeSpan.FromSeconds(10);
            await using (RpcClient client = await RpcClient.ConnectAsync(setup.Proxy.EndPoint).WaitAsync(TestBound))
            {
                Outcome[] outcomes = await RunMixAsync(client.CreateProxy<IChaosService>(), workload, timeout);
                Assert.Equal(1, setup.Proxy.Resets);
                Assert.Contains(outcomes, outcome => outcome.Error is not null);
                Assert.All(outcomes, outcome =>
                {
                    if (outcome.Error is { } error)
                    {
                        Assert.True(error.StatusCode == RpcStatusCode.Unavailable, $"{outcome.Call} failed with {error.StatusCode}: {error.Message}");
                        Assert.True(outcome.Elapsed < timeout + Grace, $"{outcome.Call} failed after {outcome.Elapsed}");
                    }
                });
            }
            await using (RpcClient client = await RpcClient.ConnectAsync(setup.Proxy.EndPoint).WaitAsync(TestBound))
            {
                Outcome[] outcomes = await RunMixAsync(client.CreateProxy<IChaosService>(), workload, timeout);
                Assert.All(outcomes, outcome => Assert.True(outcome.Error is null, $"{outcome.Call} failed after the reset: {outcome.Error}"));
            }
            await setup.AssertNothingLeftOpenAsync();
        });
    }

    [Fact]
    public async Task A_blackhole_fails_every_call_with_DeadlineExceeded_by_its_deadline()
    {
        await RunBoundedAsync(async () =>
        {
            await using ChaosSetup setup = await ChaosSetup.StartAsync(new ChaosFaults());
            TimeSpan timeout = TimeSpan.FromSeconds(1);
            await using (RpcClient client = await RpcClient.ConnectAsync(setup.Proxy.EndPoint).WaitAsync(TestBound))
            {
                IChaosService service = client.CreateProxy<IChaosService>();
                Assert.Equal(new byte[] { 1, 2, 3 }, await service.EchoAsync(new byte[] { 1, 2, 3 }).AsTask().WaitAsync(TestBound));

                setup.Proxy.Blackhole = true;
                Outcome[] outcomes = await RunMixAsync(service, new Workload(32, 4 * 1024, 4, 8, 1024), timeout);
                Assert.All(outcomes, outcome =>
                {
                    Assert.True(outcome.Error is { StatusCode: RpcStatusCode.DeadlineExceeded }, $"{outcome.Call} ended with {outcome.Error?.StatusCode.ToString() ?? "success"}");
                    Assert.True(outcome.Elapsed < timeout + Grace, $"{outcome.Call} failed after {outcome.Elapsed}");
                });
            }
            await setup.AssertNothingLeftOpenAsync();
        });
    }

    private static async Task RunBoundedAsync(Func<Task> test) => await test().WaitAsync(TestBound);

    /// <summary>How many calls of each shape, and how large their payloads are.</summary>
    private sealed record Workload(int UnaryCalls, int MaxUnaryBytes, int CallsPerStreamShape, int ChunksPerStream, int ChunkBytes);

    private sealed record Outcome(string Call, RpcException? Error, TimeSpan Elapsed);

    /// <summary>
    /// Starts every call at once (unary, server, client and duplex streams), each with its own deadline, and checks
    /// every payload that arrives byte for byte: corruption fails the test, whatever the fault.
    /// </summary>
    private static async Task<Outcome[]> RunMixAsync(IChaosService service, Workload workload, TimeSpan timeout)
    {
        var random = new Random(7);
        var calls = new List<Task<Outcome>>();
        for (int i = 0; i < workload.UnaryCalls; i++)
        {
            byte[] payload = ChaosPayload.Make(i, random.Next(workload.MaxUnaryBytes + 1));
            calls.Add(RunAsync($"unary {i} ({payload.Length} bytes)", timeout, async () =>
                Assert.Equal(payload, await service.EchoAsync(payload))));
        }
        for (int i = 0; i < workload.CallsPerStreamShape; i++)
        {
            int seed = 1000 * (i + 1);
            calls.Add(RunAsync($"server stream {i}", timeout, async () =>
            {
                int received = 0;
                await foreach (byte[] chunk in service.DownloadAsync(workload.ChunksPerStream, workload.ChunkBytes, seed))
                {
                    Assert.Equal(ChaosPayload.Make(seed + received, workload.ChunkBytes), chunk);
                    received++;
                }
                Assert.Equal(workload.ChunksPerStream, received);
            }));
            calls.Add(RunAsync($"client stream {i}", timeout, async () =>
            {
                long expected = ChaosPayload.EmptyChecksum;
                for (int c = 0; c < workload.ChunksPerStream; c++)
                {
                    expected = ChaosPayload.Checksum(expected, ChaosPayload.Make(seed + c, workload.ChunkBytes));
                }
                Assert.Equal(expected, await service.UploadAsync(Chunks(seed, workload)));
            }));
            calls.Add(RunAsync($"duplex stream {i}", timeout, async () =>
            {
                int received = 0;
                await foreach (byte[] chunk in service.EchoStreamAsync(Chunks(seed, workload)))
                {
                    Assert.Equal(ChaosPayload.Make(seed + received, workload.ChunkBytes), chunk);
                    received++;
                }
                Assert.Equal(workload.ChunksPerStream, received);
            }));
        }
        return await Task.WhenAll(calls);
    }

    private static async Task<Outcome> RunAsync(string name, TimeSpan timeout, Func<Task> call)
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using (RpcCallOptions.Push(new RpcCallOptions { Timeout = timeout }))
            {
                await call();
            }
            return new Outcome(name, null, stopwatch.Elapsed);
        }
        catch (RpcException ex)
        {
            return new Outcome(name, ex, stopwatch.Elapsed);
        }
    }

    private static async IAsyncEnumerable<byte[]> Chunks(int seed, Workload workload, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < workload.ChunksPerStream; i++)
        {
            await Task.Yield();
            yield return ChaosPayload.Make(seed + i, workload.ChunkBytes);
        }
    }

    /// <summary>A server behind a chaos proxy; checks at the end that both let go of every connection.</summary>
    private sealed class ChaosSetup : IAsyncDisposable
    {
        private ChaosSetup(RpcServer server, ChaosProxy proxy)
        {
            Server = server;
            Proxy = proxy;
        }

        public RpcServer Server { get; }

        public ChaosProxy Proxy { get; }

        public static async Task<ChaosSetup> StartAsync(ChaosFaults faults)
        {
            var server = new RpcServer();
            server.AddService<IChaosService>(new ChaosService());
            var endPoint = (IPEndPoint)await server.ListenAsync(new IPEndPoint(IPAddress.Loopback, 0));
            return new ChaosSetup(server, new ChaosProxy(endPoint, faults));
        }

        /// <summary>Once the clients are gone, the proxy and the server close every connection within a few seconds.</summary>
        public async Task AssertNothingLeftOpenAsync()
        {
            var stopwatch = Stopwatch.StartNew();
            while ((Proxy.OpenConnections != 0 || Server.OpenConnections != 0) && stopwatch.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(20);
            }
            Assert.Equal(0, Proxy.OpenConnections);
            Assert.Equal(0, Server.OpenConnections);
        }

        public async ValueTask DisposeAsync()
        {
            await Proxy.DisposeAsync();
            await Server.DisposeAsync();
        }
    }
}
