using System;
using System.Linq;
using System.Threading.Tasks;
using Rpc.Tests.Manual;
using Rpc.Tests.Support;
using Xunit;

namespace Rpc.Tests;

public sealed class CallTests
{
    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_unary_call_returns_the_servers_result(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            Assert.Equal(5, await proxy.AddAsync(2, 3).AsTask().WaitAsync(TestHost.Timeout));
            Assert.Equal("héllo wörld", await proxy.EchoAsync("héllo wörld").WaitAsync(TestHost.Timeout));
            Assert.Equal(string.Empty, await proxy.EchoAsync(string.Empty).WaitAsync(TestHost.Timeout));
        }
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_thousand_concurrent_calls_on_one_connection_each_get_their_own_result(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            Task<int>[] sums = Enumerable.Range(0, 1000).Select(i => proxy.AddAsync(i, 1_000_000).AsTask()).ToArray();
            Task<string>[] echoes = Enumerable.Range(0, 1000).Select(i => proxy.EchoAsync("call " + i)).ToArray();
            int[] sumResults = await Task.WhenAll(sums).WaitAsync(TestHost.Timeout);
            string[] echoResults = await Task.WhenAll(echoes).WaitAsync(TestHost.Timeout);
            for (int i = 0; i < 1000; i++)
            {
                Assert.Equal(i + 1_000_000, sumResults[i]);
                Assert.Equal("call " + i, echoResults[i]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_method_without_a_result_completes_when_the_server_has_run_it(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            await proxy.ResetAsync().AsTask().WaitAsync(TestHost.Timeout);
            await proxy.ResetAsync().AsTask().WaitAsync(TestHost.Timeout);
            Assert.Equal(2, host.Service.Resets);
        }
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_one_way_call_reaches_the_server_and_gets_no_response(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            await proxy.NotifyAsync("fire and forget").AsTask().WaitAsync(TestHost.Timeout);
            await host.Service.NotificationReceived.Task.WaitAsync(TestHost.Timeout);
            Assert.Equal(["fire and forget"], host.Service.Notifications.ToArray());
            // The connection is still in step: a unary call after it gets its own answer.
            Assert.Equal(3, await proxy.AddAsync(1, 2).AsTask().WaitAsync(TestHost.Timeout));
        }
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task Concurrent_calls_either_side_of_the_copied_frame_size_arrive_intact_and_in_their_own_call(TransportKind transport)
    {
        // Frames up to 512 bytes are copied into the send queue's chunks, larger ones are queued by reference: these
        // requests and replies straddle the limit, so both kinds interleave in every batch, both ways.
        await using TestHost host = await TestHost.StartAsync(transport);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            string[] texts = Enumerable.Range(0, 400)
                .Select(i => i.ToString("D4") + new string((char)('a' + i % 26), 380 + (i * 37) % 240))
                .ToArray();
            string[] replies = await Task.WhenAll(texts.Select(text => proxy.EchoAsync(text))).WaitAsync(TestHost.Timeout);
            Assert.Equal(texts, replies);
        }
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task Callers_that_call_again_as_soon_as_a_reply_arrives_each_get_their_own_results(TransportKind transport)
    {
        // Each caller's next request is issued from the batch that delivered its reply, so the client holds those
        // requests back and sends them in parts (as many as the calls already out, at least 8): every part must
        // still reach the server, whole and in its own call.
        await using TestHost host = await TestHost.StartAsync(transport);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            async Task<int> CallRepeatedlyAsync(int caller)
            {
                int correct = 0;
                for (int i = 0; i < 200; i++)
                {
                    int a = caller * 1000 + i;
                    correct += await proxy.AddAsync(a, 7).ConfigureAwait(false) == a + 7 ? 1 : 0;
                    correct += await proxy.EchoAsync("c" + a).ConfigureAwait(false) == "c" + a ? 1 : 0;
                }
                return correct;
            }
            int[] correct = await Task.WhenAll(Enumerable.Range(0, 64).Select(CallRepeatedlyAsync)).WaitAsync(TestHost.Timeout);
            Assert.All(correct, count => Assert.Equal(400, count));
        }
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task Payloads_larger_than_a_pipe_segment_arrive_intact_both_ways(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            string big = new('x', 1_000_000);
            Assert.Equal(big, await proxy.EchoAsync(big).WaitAsync(TestHost.Timeout));

            Task<byte[]>[] results = Enumerable.Range(0, 8).Select(i => proxy.GetBytesAsync(100_000 + i).AsTask()).ToArray();
            byte[][] arrays = await Task.WhenAll(results).WaitAsync(TestHost.Timeout);
            for (int i = 0; i < arrays.Length; i++)
            {
                Assert.Equal(100_000 + i, arrays[i].Length);
                Assert.Equal(unchecked((byte)99_999), arrays[i][99_999]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_handler_that_blocks_the_thread_that_read_its_request_does_not_stop_the_connection_reading(TransportKind transport)
    {
        // The blocked request is alone in its read, so the thread that read it is the one it blocks: the calls sent
        // afterwards can only be served if reading moves to another thread.
        await using TestHost host = await TestHost.StartAsync(transport);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            Task<int> blocked = proxy.BlockAsync(1500).AsTask();
            await host.Service.BlockStarted.Task.WaitAsync(TestHost.Timeout);
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            for (int i = 0; i < 5; i++)
            {
                Assert.Equal(2 * i, await proxy.AddAsync(i, i).AsTask().WaitAsync(TestHost.Timeout));
            }
            Assert.False(blocked.IsCompleted, $"the calls after the blocked one took {stopwatch.Elapsed}, as long as it");
            Assert.Equal(1500, await blocked.WaitAsync(TestHost.Timeout));
        }
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_caller_that_waits_synchronously_for_another_call_after_a_response_does_not_deadlock(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            // Without a synchronization context the continuation runs on the client thread that read the response;
            // blocking it on a second call needs that call's response read by another thread.
            int sum = await Task.Run(async () =>
            {
                int first = await proxy.AddAsync(1, 1).ConfigureAwait(false);
                int second = proxy.AddAsync(first, 1).AsTask().GetAwaiter().GetResult();
                return second;
            }).WaitAsync(TestHost.Timeout);
            Assert.Equal(3, sum);
        }
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_handler_that_blocks_its_thread_does_not_stall_other_calls_on_the_connection(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            Assert.Equal(0, await proxy.AddAsync(0, 0).AsTask().WaitAsync(TestHost.Timeout));
            Task<int> blocked = proxy.BlockAsync(1000).AsTask();
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            int[] sums = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => proxy.AddAsync(i, i).AsTask())).WaitAsync(TestHost.Timeout);
            Assert.False(blocked.IsCompleted, $"other calls took {stopwatch.Elapsed}, as long as the blocked one");
            Assert.Equal(198, sums[99]);
            Assert.Equal(1000, await blocked.WaitAsync(TestHost.Timeout));
        }
    }

    [Fact]
    public async Task Reading_a_result_before_the_call_completes_throws_and_that_call_and_later_ones_still_get_their_own_results()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            ValueTask<int> blocked = proxy.BlockAsync(300);
            await host.Service.BlockStarted.Task.WaitAsync(TestHost.Timeout);

            // Outside the ValueTask contract, but it happens (sync-over-async code): it must not hand the call's
            // pooled objects to the next call while the response can still come.
            Assert.Throws<InvalidOperationException>(() => blocked.Result);

            Assert.Equal(3, await proxy.AddAsync(1, 2).AsTask().WaitAsync(TestHost.Timeout));
            Assert.Equal(300, await blocked.AsTask().WaitAsync(TestHost.Timeout));
            for (int i = 0; i < 10; i++)
            {
                Assert.Equal(i, await proxy.AddAsync(i, 0).AsTask().WaitAsync(TestHost.Timeout));
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task Calls_of_different_result_types_in_turn_each_get_their_own_result(TransportKind transport)
    {
        // A pooled call keeps the value-task source of its last result type; each call here needs another one.
        await using TestHost host = await TestHost.StartAsync(transport);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            for (int i = 0; i < 50; i++)
            {
                Assert.Equal(i + 1, await proxy.AddAsync(i, 1).AsTask().WaitAsync(TestHost.Timeout));
                Assert.Equal("echo " + i, await proxy.EchoAsync("echo " + i).WaitAsync(TestHost.Timeout));
                await proxy.ResetAsync().AsTask().WaitAsync(TestHost.Timeout);
                Assert.Equal(i % 7, (await proxy.GetBytesAsync(i % 7).AsTask().WaitAsync(TestHost.Timeout)).Length);
                await proxy.NotifyAsync("note " + i).AsTask().WaitAsync(TestHost.Timeout);
            }
            Assert.Equal(50, host.Service.Resets);
        }
    }

    [Fact]
    public async Task Several_clients_share_one_server()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp);
        RpcClient[] clients = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => host.ConnectAsync()));
        try
        {
            int[] sums = await Task.WhenAll(clients.Select((c, i) => c.CreateProxy<ICalculatorService>().AddAsync(i, i).AsTask())).WaitAsync(TestHost.Timeout);
            Assert.Equal([0, 2, 4, 6], sums);
        }
        finally
        {
            foreach (RpcClient client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
