using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Rpc.Tests.Manual;
using Rpc.Tests.Support;
using Xunit;

namespace Rpc.Tests;

public sealed class StreamingTests
{
    // Reads the rest of a stream, whose end must be a failure, and returns the failure.
    private static Task<RpcException> ReadToFailureAsync<T>(IAsyncEnumerator<T> items) =>
        Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await items.MoveNextAsync())
            {
            }
        }).WaitAsync(TestHost.Timeout);

    private const int Many = 5000;

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_server_stream_delivers_thousands_of_items_in_order(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        await using RpcClient client = await host.ConnectAsync();
        IStreamingService proxy = client.CreateProxy<IStreamingService>();

        List<int> received = await ReadAllAsync(proxy.CountAsync(100, Many));

        Assert.Equal(Enumerable.Range(100, Many), received);
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_client_stream_of_thousands_of_items_reaches_the_handler_and_its_result_comes_back(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        await using RpcClient client = await host.ConnectAsync();
        IStreamingService proxy = client.CreateProxy<IStreamingService>();

        long sum = await proxy.SumAsync(Produce(Many)).WaitAsync(TestHost.Timeout);
        Assert.Equal((long)Many * (Many - 1) / 2, sum);

        // Without a result, and with an ordinary argument before the stream.
        await proxy.UploadAsync("report.bin", Chunks(3000, 100)).AsTask().WaitAsync(TestHost.Timeout);
        Assert.Equal(3000, host.Streaming.UploadedChunks);
        Assert.Equal(300_000, host.Streaming.UploadedBytes);
        Assert.Equal(["report.bin"], host.Streaming.Uploads.ToArray());
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_duplex_stream_answers_thousands_of_items(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        await using RpcClient client = await host.ConnectAsync();
        IStreamingService proxy = client.CreateProxy<IStreamingService>();

        List<int> received = await ReadAllAsync(proxy.AddEachAsync(1_000_000, Produce(Many)));

        Assert.Equal(Enumerable.Range(1_000_000, Many), received);
    }

    [Fact]
    public async Task A_duplex_stream_is_a_conversation_not_a_batch()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp);
        await using RpcClient client = await host.ConnectAsync();
        IStreamingService proxy = client.CreateProxy<IStreamingService>();

        // Each request is only written after the answer to the previous one arrived: this cannot finish unless
        // answers flow while the request stream is still open.
        var requests = Channel.CreateUnbounded<int>();
        requests.Writer.TryWrite(0);
        int answers = 0;
        await foreach (int answer in proxy.AddEachAsync(1, requests.Reader.ReadAllAsync()).WithCancellation(CancellationToken.None))
        {
            Assert.Equal(answers + 1, answer);
            answers++;
            if (answers == 200)
            {
                requests.Writer.Complete();
            }
            else
            {
                requests.Writer.TryWrite(answers);
            }
        }
        Assert.Equal(200, answers);
    }

    [Theory]
    [MemberData(nameof(TestHost.SocketTransports), MemberType = typeof(TestHost))]
    public async Task Several_streams_and_unary_calls_share_one_connection(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        await using RpcClient client = await host.ConnectAsync();
        IStreamingService streams = client.CreateProxy<IStreamingService>();
        ICalculatorService calculator = client.CreateProxy<ICalculatorService>();

        Task<List<int>>[] serverStreams = Enumerable.Range(0, 4).Select(i => ReadAllAsync(streams.CountAsync(i * 10_000, 2000))).ToArray();
        Task<long>[] clientStreams = Enumerable.Range(0, 3).Select(i => streams.SumAsync(Produce(2000))).ToArray();
        Task<List<int>>[] duplexStreams = Enumerable.Range(0, 3).Select(i => ReadAllAsync(streams.AddEachAsync(i, Produce(2000)))).ToArray();
        Task<int>[] unary = Enumerable.Range(0, 300).Select(i => calculator.AddAsync(i, 1).AsTask()).ToArray();

        await Task.WhenAll(serverStreams.Cast<Task>().Concat(clientStreams).Concat(duplexStreams).Concat(unary)).WaitAsync(TestHost.Timeout);
        for (int i = 0; i < serverStreams.Length; i++)
        {
            Assert.Equal(Enumerable.Range(i * 10_000, 2000), await serverStreams[i]);
        }
        foreach (Task<long> sum in clientStreams)
        {
            Assert.Equal(2000L * 1999 / 2, await sum);
        }
        for (int i = 0; i < duplexStreams.Length; i++)
        {
            Assert.Equal(Enumerable.Range(i, 2000), await duplexStreams[i]);
        }
        for (int i = 0; i < unary.Length; i++)
        {
            Assert.Equal(i + 1, await unary[i]);
        }
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_stalled_stream_does_not_stall_other_calls_on_the_connection(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        await using RpcClient client = await host.ConnectAsync();
        IStreamingService streams = client.CreateProxy<IStreamingService>();
        ICalculatorService calculator = client.CreateProxy<ICalculatorService>();

        // A stream whose consumer takes one item and then stops reading: its window fills, its producer waits.
        await using IAsyncEnumerator<byte[]> stalled = streams.ProduceAsync(10_000, 8192).GetAsyncEnumerator();
        Assert.True(await stalled.MoveNextAsync().AsTask().WaitAsync(TestHost.Timeout));
        await WaitUntilAsync(() => host.Streaming.Produced >= 5);

        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(i + 2, await calculator.AddAsync(i, 2).AsTask().WaitAsync(TestHost.Timeout));
        }
        Assert.Equal(Enumerable.Range(0, 1000), await ReadAllAsync(streams.CountAsync(0, 1000)));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"other calls took {stopwatch.Elapsed} beside a stalled stream");
        Assert.True(host.Streaming.Produced < 100, $"the stalled stream's producer ran ahead: {host.Streaming.Produced} items");
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task Leaving_a_server_stream_early_stops_the_servers_loop(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        await using RpcClient client = await host.ConnectAsync();
        IStreamingService proxy = client.CreateProxy<IStreamingService>();

        int seen = 0;
        await foreach (int item in proxy.ForeverAsync())
        {
            if (++seen == 5)
            {
                break;
            }
        }

        var stopwatch = Stopwatch.StartNew();
        await host.Streaming.ForeverCancelled.Task.WaitAsync(TestHost.Timeout);
        await host.Streaming.ForeverFinished.Task.WaitAsync(TestHost.Timeout);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"the server's loop took {stopwatch.Elapsed} to stop");
        Assert.Equal(3, await client.CreateProxy<ICalculatorService>().AddAsync(1, 2).AsTask().WaitAsync(TestHost.Timeout));
    }

    [Fact]
    public async Task Cancelling_the_enumerators_token_cancels_the_call_on_both_sides()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp);
        await using RpcClient client = await host.ConnectAsync();
        IStreamingService proxy = client.CreateProxy<IStreamingService>();
        using var cts = new CancellationTokenSource();

        RpcException error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (int item in proxy.ForeverAsync().WithCancellation(cts.Token))
            {
                if (item == 3)
                {
                    cts.Cancel();
                }
            }
        }).WaitAsync(TestHost.Timeout);

        Assert.Equal(RpcStatusCode.Cancelled, error.StatusCode);
        await host.Streaming.ForeverFinished.Task.WaitAsync(TestHost.Timeout);
    }

    [Fact]
    public async Task Cancelling_the_calls_token_cancels_the_call_on_both_sides()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp);
        await using RpcClient client = await host.ConnectAsync();
        IStreamingService proxy = client.CreateProxy<IStreamingService>();
        using var cts = new CancellationTokenSource();

        IAsyncEnumerable<int> stream = proxy.ForeverAsync(cts.Token);
        await using IAsyncEnumerator<int> items = stream.GetAsyncEnumerator();
        Assert.True(await items.MoveNextAsync().AsTask().WaitAsync(TestHost.Timeout));
        cts.Cancel();

        RpcException error = await ReadToFailureAsync(items);
        Assert.Equal(RpcStatusCode.Cancelled, error.StatusCode);
        await host.Streaming.ForeverFinished.Task.WaitAsync(TestHost.Timeout);
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_server_that_throws_mid_stream_ends_the_enumeration_with_its_status_after_the_items_it_sent(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        await using RpcClient client = await host.ConnectAsync();
        IStreamingService proxy = client.CreateProxy<IStreamingService>();

        var received = new List<int>();
        RpcException error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (int item in proxy.FailAfterAsync(500, (int)RpcStatusCode.DataLoss, "the disk is gone"))
            {
                received.Add(item);
            }
        }).WaitAsync(TestHost.Timeout);

        Assert.Equal(Enumerable.Range(0, 500), received);
        Assert.Equal(RpcStatusCode.DataLoss, error.StatusCode);
        Assert.Equal("the disk is gone", error.Message);

        // Any other exception is Unknown, as for unary calls.
        received.Clear();
        error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (int item in proxy.FailAfterAsync(3, -1, "secret"))
            {
                received.Add(item);
            }
        }).WaitAsync(TestHost.Timeout);
        Assert.Equal([0, 1, 2], received);
        Assert.Equal(RpcStatusCode.Unknown, error.StatusCode);
    }

    [Fact]
    public async Task A_client_stream_whose_source_throws_fails_the_call_with_that_exception_and_cancels_the_server()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp);
        await using RpcClient client = await host.ConnectAsync();
        IStreamingService proxy = client.CreateProxy<IStreamingService>();

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => proxy.UploadAsync("broken", FailingChunks(10)).AsTask().WaitAsync(TestHost.Timeout));
        Assert.Equal("the source broke", error.Message);

        Exception seenByServer = await host.Streaming.UploadFailed.Task.WaitAsync(TestHost.Timeout);
        Assert.IsAssignableFrom<OperationCanceledException>(seenByServer);
        Assert.Empty(host.Streaming.Uploads);
        Assert.Equal(42, await proxy.SumAsync(Produce(1, 42)).WaitAsync(TestHost.Timeout));
    }

    [Fact]
    public async Task A_streaming_call_can_be_enumerated_once()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.InMemory);
        await using RpcClient client = await host.ConnectAsync();
        IAsyncEnumerable<int> stream = client.CreateProxy<IStreamingService>().CountAsync(0, 3);
        Assert.Equal([0, 1, 2], await ReadAllAsync(stream));
        Assert.Throws<InvalidOperationException>(() => stream.GetAsyncEnumerator());
    }

    [Fact]
    public async Task Larger_stream_windows_are_granted_on_top_of_the_initial_one()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp, new RpcServerOptions { StreamWindowSize = 1 << 20 });
        await using RpcClient client = await host.ConnectAsync(new RpcClientOptions { StreamWindowSize = 1 << 20 });
        IStreamingService proxy = client.CreateProxy<IStreamingService>();

        Assert.Equal(Enumerable.Range(0, Many), await ReadAllAsync(proxy.CountAsync(0, Many)));
        Assert.Equal((long)Many * (Many - 1) / 2, await proxy.SumAsync(Produce(Many)).WaitAsync(TestHost.Timeout));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RpcServer(new RpcServerOptions { StreamWindowSize = 1024 }));
    }

    [Fact]
    public async Task A_server_shutting_down_ends_its_streams_with_Unavailable_and_stops_their_loops()
    {
        TestHost host = await TestHost.StartAsync(TransportKind.Tcp, new RpcServerOptions { ShutdownTimeout = TimeSpan.FromMilliseconds(200) });
        await using RpcClient client = await host.ConnectAsync();
        await using IAsyncEnumerator<int> items = client.CreateProxy<IStreamingService>().ForeverAsync().GetAsyncEnumerator();
        Assert.True(await items.MoveNextAsync().AsTask().WaitAsync(TestHost.Timeout));

        await host.DisposeAsync();

        RpcException error = await ReadToFailureAsync(items);
        Assert.Equal(RpcStatusCode.Unavailable, error.StatusCode);
        await host.Streaming.ForeverFinished.Task.WaitAsync(TestHost.Timeout);
    }

    [Fact]
    public async Task A_client_closing_ends_its_streams_with_Unavailable_and_the_servers_loops_stop()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp);
        RpcClient client = await host.ConnectAsync();
        await using IAsyncEnumerator<int> items = client.CreateProxy<IStreamingService>().ForeverAsync().GetAsyncEnumerator();
        Assert.True(await items.MoveNextAsync().AsTask().WaitAsync(TestHost.Timeout));

        await client.DisposeAsync().AsTask().WaitAsync(TestHost.Timeout);

        RpcException error = await ReadToFailureAsync(items);
        Assert.Equal(RpcStatusCode.Unavailable, error.StatusCode);
        await host.Streaming.ForeverFinished.Task.WaitAsync(TestHost.Timeout);
    }

    [Fact]
    public async Task A_server_that_answers_before_the_request_stream_ends_stops_the_clients_producer()
    {
        var serverOptions = new RpcServerOptions { Interceptors = { new AnswerSumAtOnce() } };
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp, serverOptions);
        await using RpcClient client = await host.ConnectAsync();

        var producer = new EndlessValues();
        long sum = await client.CreateProxy<IStreamingService>().SumAsync(producer.ReadAsync()).WaitAsync(TestHost.Timeout);

        Assert.Equal(-1, sum);
        await producer.Stopped.Task.WaitAsync(TestHost.Timeout);
    }

    /// <summary>Answers SumAsync itself, without reading the request stream.</summary>
    private sealed class AnswerSumAtOnce : IRpcServerInterceptor
    {
        public ValueTask InterceptAsync(RpcContext context, RpcServerContinuation next)
        {
            if (context.Method.MethodName != nameof(IStreamingService.SumAsync))
            {
                return next(context);
            }
            context.Result = -1L;
            return default;
        }
    }

    /// <summary>A request stream that never ends by itself, and records when its enumeration stops.</summary>
    private sealed class EndlessValues
    {
        public TaskCompletionSource Stopped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async IAsyncEnumerable<int> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            try
            {
                for (int i = 0; ; i++)
                {
                    await Task.Delay(1, cancellationToken);
                    yield return i;
                }
            }
            finally
            {
                Stopped.TrySetResult();
            }
        }
    }

    internal static async Task<List<T>> ReadAllAsync<T>(IAsyncEnumerable<T> stream)
    {
        var items = new List<T>();
        await foreach (T item in stream.WithCancellation(CancellationToken.None))
        {
            items.Add(item);
        }
        return items;
    }

    internal static async IAsyncEnumerable<int> Produce(int count, int first = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < count; i++)
        {
            if (i % 500 == 0)
            {
                await Task.Yield();
            }
            yield return first + i;
        }
    }

    private static async IAsyncEnumerable<byte[]> Chunks(int count, int size)
    {
        for (int i = 0; i < count; i++)
        {
            if (i % 500 == 0)
            {
                await Task.Yield();
            }
            yield return new byte[size];
        }
    }

    private static async IAsyncEnumerable<byte[]> FailingChunks(int before)
    {
        for (int i = 0; i < before; i++)
        {
            await Task.Yield();
            yield return new byte[10];
        }
        throw new InvalidOperationException("the source broke");
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            if (stopwatch.Elapsed > TestHost.Timeout)
            {
                throw new TimeoutException("The condition did not become true in time.");
            }
            await Task.Delay(5);
        }
    }
}
