using System.Net;
using Rpc;

namespace Rpc.IntegrationTests;

/// <summary>Generated streaming proxies and dispatchers, metadata and deadlines, end to end over real sockets.</summary>
public sealed class GeneratedStreamingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static async Task<(RpcServer Server, RpcClient Client, Sensors Service)> StartAsync(string transport)
    {
        var service = new Sensors();
        var server = new RpcServer();
        server.AddService<ISensors>(service);
        EndPoint bound = await server.ListenAsync(Transports.Create(transport));
        RpcClient client = await RpcClient.ConnectAsync(bound).WaitAsync(Timeout);
        return (server, client, service);
    }

    private static async IAsyncEnumerable<T> Produce<T>(int count, Func<int, T> make)
    {
        for (int i = 0; i < count; i++)
        {
            yield return make(i);
            if (i % 256 == 0)
            {
                await Task.Yield();
            }
        }
    }

    [Theory]
    [MemberData(nameof(Transports.All), MemberType = typeof(Transports))]
    public async Task Server_streaming_delivers_every_item_in_order(string transport)
    {
        var (server, client, _) = await StartAsync(transport);
        await using (server)
        await using (client)
        {
            int expected = 0;
            await foreach (Reading reading in client.CreateProxy<ISensors>().WatchAsync(5000).WithCancellation(new CancellationTokenSource(Timeout).Token))
            {
                Assert.Equal(expected++, reading.Sequence);
            }
            Assert.Equal(5000, expected);
        }
    }

    // Items produced back to back leave together; an item followed by a producer that blocks its thread must go out
    // while the producer is still blocked (within the watchdog's ticks, plus the time the thread pool takes to find a
    // thread when blocked threads starve it), not when the next item comes.
    private const int ProducerBlockMilliseconds = 2000;

    [Theory]
    [MemberData(nameof(Transports.All), MemberType = typeof(Transports))]
    public async Task A_stream_item_is_not_held_back_while_the_producer_blocks_before_the_next(string transport)
    {
        var (server, client, service) = await StartAsync(transport);
        await using (server)
        await using (client)
        {
            bool? unblockedAtFirst = null;
            var items = new List<int>();
            await foreach (int item in client.CreateProxy<ISensors>().StallingAsync(ProducerBlockMilliseconds).WithCancellation(new CancellationTokenSource(Timeout).Token))
            {
                unblockedAtFirst ??= service.StallingUnblocked;
                items.Add(item);
            }
            Assert.Equal(new[] { 1, 2 }, items);
            Assert.False(unblockedAtFirst, "the first item arrived only after the producer unblocked");
        }
    }

    [Theory]
    [MemberData(nameof(Transports.All), MemberType = typeof(Transports))]
    public async Task A_request_stream_item_is_not_held_back_while_the_client_producer_blocks(string transport)
    {
        var (server, client, _) = await StartAsync(transport);
        await using (server)
        await using (client)
        {
            bool unblocked = false;
            async IAsyncEnumerable<string> Lines()
            {
                yield return "a";
                Thread.Sleep(ProducerBlockMilliseconds);
                Volatile.Write(ref unblocked, true);
                yield return "b";
                await Task.CompletedTask;
            }

            bool? unblockedAtFirst = null;
            var echoed = new List<string>();
            await foreach (string line in client.CreateProxy<ISensors>().EchoAsync("p", Lines()).WithCancellation(new CancellationTokenSource(Timeout).Token))
            {
                unblockedAtFirst ??= Volatile.Read(ref unblocked);
                echoed.Add(line);
            }
            Assert.Equal(new[] { "pa", "pb" }, echoed);
            Assert.False(unblockedAtFirst, "the first echo arrived only after the client's producer unblocked");
        }
    }

    [Theory]
    [MemberData(nameof(Transports.All), MemberType = typeof(Transports))]
    public async Task Client_streaming_sends_every_item_and_gets_one_result(string transport)
    {
        var (server, client, _) = await StartAsync(transport);
        await using (server)
        await using (client)
        {
            double average = await client.CreateProxy<ISensors>().AverageAsync(Produce(4000, i => new Reading(i, i % 2 == 0 ? 10 : 30))).WaitAsync(Timeout);
            Assert.Equal(20, average);
        }
    }

    [Theory]
    [MemberData(nameof(Transports.All), MemberType = typeof(Transports))]
    public async Task Duplex_streaming_echoes_while_both_sides_stream(string transport)
    {
        var (server, client, _) = await StartAsync(transport);
        await using (server)
        await using (client)
        {
            var received = new List<string>();
            await foreach (string line in client.CreateProxy<ISensors>().EchoAsync("> ", Produce(3000, i => "line " + i)).WithCancellation(new CancellationTokenSource(Timeout).Token))
            {
                received.Add(line);
            }
            Assert.Equal(Enumerable.Range(0, 3000).Select(i => "> line " + i), received);
        }
    }

    [Fact]
    public async Task Breaking_out_of_a_generated_stream_stops_the_server_enumeration()
    {
        var (server, client, service) = await StartAsync("tcp");
        await using (server)
        await using (client)
        {
            int taken = 0;
            await foreach (Reading _ in client.CreateProxy<ISensors>().WatchAsync(int.MaxValue))
            {
                if (++taken == 10)
                {
                    break;
                }
            }
            Assert.True(await service.WatchStopped.Task.WaitAsync(Timeout));
        }
    }

    [Fact]
    public async Task Metadata_and_deadlines_travel_with_generated_calls()
    {
        var (server, client, _) = await StartAsync("tcp");
        await using (server)
        await using (client)
        {
            var headers = new RpcMetadata();
            headers.Add("user", "ada");
            var options = new RpcCallOptions { Headers = headers, Timeout = TimeSpan.FromSeconds(30) };
            string answer;
            using (RpcCallOptions.Push(options))
            {
                answer = await client.CreateProxy<ISensors>().WhoAmIAsync().AsTask().WaitAsync(Timeout);
            }
            Assert.Equal("ada calling Rpc.IntegrationTests.ISensors/WhoAmIAsync, deadline set", answer);
            Assert.Equal("sensors", options.ResponseHeaders?.GetString("served-by"));
            Assert.Equal(new byte[] { 1, 2, 3 }, options.ResponseTrailers?.GetBytes("checksum"));
        }
    }

    [Theory]
    [MemberData(nameof(Transports.All), MemberType = typeof(Transports))]
    public async Task A_plain_call_sees_its_context_and_can_send_response_headers(string transport)
    {
        var (server, client, _) = await StartAsync(transport);
        await using (server)
        await using (client)
        {
            var options = new RpcCallOptions();
            string answer;
            using (RpcCallOptions.Push(options))
            {
                answer = await client.CreateProxy<ISensors>().PlainContextAsync(7).AsTask().WaitAsync(Timeout);
            }
            Assert.StartsWith("PlainContextAsync from ", answer);
            Assert.Equal("7", options.ResponseHeaders?.GetString("value"));
            Assert.Null(RpcContext.Current);
        }
    }
}
