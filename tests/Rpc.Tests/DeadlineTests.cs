using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Tests.Manual;
using Rpc.Tests.Support;
using Xunit;

namespace Rpc.Tests;

public sealed class DeadlineTests
{
    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_call_past_its_deadline_fails_with_DeadlineExceeded_promptly_and_the_servers_token_fires(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            var stopwatch = Stopwatch.StartNew();
            RpcException error;
            using (RpcCallOptions.Push(new RpcCallOptions { Timeout = TimeSpan.FromMilliseconds(200) }))
            {
                error = await Assert.ThrowsAsync<RpcException>(() => proxy.SleepAsync(60_000).AsTask().WaitAsync(TestHost.Timeout));
            }
            TimeSpan elapsed = stopwatch.Elapsed;

            Assert.Equal(RpcStatusCode.DeadlineExceeded, error.StatusCode);
            Assert.InRange(elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(2));
            await host.Service.SleepCancellationObserved.Task.WaitAsync(TestHost.Timeout);
            Assert.Equal(3, await proxy.AddAsync(1, 2).AsTask().WaitAsync(TestHost.Timeout));
        }
    }

    [Fact]
    public async Task The_client_wide_default_timeout_applies_to_calls_that_set_none()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync(new RpcClientOptions { DefaultTimeout = TimeSpan.FromMilliseconds(200) });
        await using (client)
        {
            var stopwatch = Stopwatch.StartNew();
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => proxy.SleepAsync(60_000).AsTask().WaitAsync(TestHost.Timeout));
            Assert.Equal(RpcStatusCode.DeadlineExceeded, error.StatusCode);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2));
            await host.Service.SleepCancellationObserved.Task.WaitAsync(TestHost.Timeout);

            // Fast calls are unaffected, and an infinite timeout opts a call out of the default.
            Assert.Equal(5, await proxy.AddAsync(2, 3).AsTask().WaitAsync(TestHost.Timeout));
            using (RpcCallOptions.Push(new RpcCallOptions { Timeout = Timeout.InfiniteTimeSpan }))
            {
                await proxy.SleepAsync(250).AsTask().WaitAsync(TestHost.Timeout);
            }
        }
    }

    [Fact]
    public async Task The_server_sees_the_deadline_the_client_set()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp);
        await using RpcClient client = await host.ConnectAsync();
        IContextService proxy = client.CreateProxy<IContextService>();

        Assert.Equal(-1, await proxy.GetDeadlineAsync().AsTask().WaitAsync(TestHost.Timeout));
        DateTimeOffset deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        long seen;
        using (RpcCallOptions.Push(new RpcCallOptions { Deadline = deadline }))
        {
            seen = await proxy.GetDeadlineAsync().AsTask().WaitAsync(TestHost.Timeout);
        }
        Assert.InRange(new DateTimeOffset(seen, TimeSpan.Zero), deadline.AddSeconds(-2), deadline.AddSeconds(2));
    }

    [Fact]
    public async Task A_deadline_that_already_passed_fails_the_call_without_sending_it()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.InMemory);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            using (RpcCallOptions.Push(new RpcCallOptions { Deadline = DateTimeOffset.UtcNow.AddSeconds(-1) }))
            {
                RpcException error = await Assert.ThrowsAsync<RpcException>(() => proxy.SleepAsync(10).AsTask().WaitAsync(TestHost.Timeout));
                Assert.Equal(RpcStatusCode.DeadlineExceeded, error.StatusCode);
            }
            await Task.Delay(100);
            Assert.False(host.Service.SleepStarted.Task.IsCompleted);
        }
    }

    [Theory]
    [MemberData(nameof(TestHost.SocketTransports), MemberType = typeof(TestHost))]
    public async Task A_stream_past_its_deadline_ends_with_DeadlineExceeded_and_the_servers_loop_stops(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        await using RpcClient client = await host.ConnectAsync();
        IStreamingService proxy = client.CreateProxy<IStreamingService>();

        var stopwatch = Stopwatch.StartNew();
        RpcException error;
        using (RpcCallOptions.Push(new RpcCallOptions { Timeout = TimeSpan.FromMilliseconds(400) }))
        {
            error = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                await foreach (int item in proxy.ForeverAsync())
                {
                }
            }).WaitAsync(TestHost.Timeout);
        }
        Assert.Equal(RpcStatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(350), $"the stream ended after {stopwatch.Elapsed}");
        await host.Streaming.ForeverFinished.Task.WaitAsync(TestHost.Timeout);
    }

    [Fact]
    public async Task Many_calls_racing_their_deadlines_all_complete_one_way_or_the_other()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.InMemory);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            var tasks = new Task<int>[500];
            for (int i = 0; i < tasks.Length; i++)
            {
                using (RpcCallOptions.Push(new RpcCallOptions { Timeout = TimeSpan.FromTicks(i * 200) }))
                {
                    tasks[i] = proxy.AddAsync(i, 1).AsTask();
                }
            }
            for (int i = 0; i < tasks.Length; i++)
            {
                try
                {
                    Assert.Equal(i + 1, await tasks[i].WaitAsync(TestHost.Timeout));
                }
                catch (RpcException ex)
                {
                    Assert.Equal(RpcStatusCode.DeadlineExceeded, ex.StatusCode);
                }
            }
            Assert.Equal(4, await proxy.AddAsync(2, 2).AsTask().WaitAsync(TestHost.Timeout));
        }
    }
}
