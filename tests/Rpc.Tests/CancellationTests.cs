using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Tests.Manual;
using Rpc.Tests.Support;
using Xunit;

namespace Rpc.Tests;

public sealed class CancellationTests
{
    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task Cancelling_a_call_reaches_the_servers_token_and_the_caller_sees_Cancelled(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            using var cts = new CancellationTokenSource();
            ValueTask sleeping = proxy.SleepAsync(60_000, cts.Token);
            await host.Service.SleepStarted.Task.WaitAsync(TestHost.Timeout);

            var stopwatch = Stopwatch.StartNew();
            cts.Cancel();
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => sleeping.AsTask().WaitAsync(TestHost.Timeout));
            Assert.Equal(RpcStatusCode.Cancelled, error.StatusCode);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), "the caller should not wait for the server");

            await host.Service.SleepCancellationObserved.Task.WaitAsync(TestHost.Timeout);

            // The connection goes on serving.
            Assert.Equal(7, await proxy.AddAsync(3, 4).AsTask().WaitAsync(TestHost.Timeout));
        }
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_token_cancelled_before_the_call_fails_it_without_sending(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            using var cts = new CancellationTokenSource();
            cts.Cancel();
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => proxy.SleepAsync(60_000, cts.Token).AsTask().WaitAsync(TestHost.Timeout));
            Assert.Equal(RpcStatusCode.Cancelled, error.StatusCode);
            Assert.False(host.Service.SleepStarted.Task.IsCompleted);
        }
    }

    [Fact]
    public async Task Many_calls_racing_their_cancellation_all_complete_one_way_or_the_other()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.InMemory);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            var tasks = new Task[500];
            var sources = new CancellationTokenSource[tasks.Length];
            for (int i = 0; i < tasks.Length; i++)
            {
                sources[i] = new CancellationTokenSource();
                tasks[i] = proxy.AddAsync(i, i, sources[i].Token).AsTask();
                if (i % 2 == 0)
                {
                    sources[i].Cancel();
                }
            }
            foreach (Task task in tasks)
            {
                try
                {
                    await task.WaitAsync(TestHost.Timeout);
                }
                catch (RpcException ex)
                {
                    Assert.Equal(RpcStatusCode.Cancelled, ex.StatusCode);
                }
            }
            foreach (CancellationTokenSource source in sources)
            {
                source.Dispose();
            }
            Assert.Equal(4, await proxy.AddAsync(2, 2).AsTask().WaitAsync(TestHost.Timeout));
        }
    }
}
