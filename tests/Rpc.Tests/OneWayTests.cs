using System;
using System.Collections.Concurrent;
using System.Threading.Tasks;
using Rpc.Tests.Manual;
using Rpc.Tests.Support;
using Xunit;

namespace Rpc.Tests;

public sealed class OneWayTests
{
    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_one_way_call_that_fails_on_the_server_is_reported_to_the_servers_hook_not_to_the_caller(TransportKind transport)
    {
        var reported = new TaskCompletionSource<(RpcMethodDescriptor, Exception)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new RpcServerOptions { OnOneWayError = (method, exception) => reported.TrySetResult((method, exception)) };
        await using TestHost host = await TestHost.StartAsync(transport, options);
        await using RpcClient client = await host.ConnectAsync();
        IContextService proxy = client.CreateProxy<IContextService>();

        // The caller only learns that the request was written.
        await proxy.FireAndFailAsync("the handler broke").AsTask().WaitAsync(TestHost.Timeout);

        (RpcMethodDescriptor method, Exception exception) = await reported.Task.WaitAsync(TestHost.Timeout);
        Assert.Same(ContextMethods.FireAndFail, method);
        Assert.IsType<InvalidOperationException>(exception);
        Assert.Equal("the handler broke", exception.Message);
        // The connection goes on serving, and the next call sees its own context, not the failed one-way call's.
        Assert.True(await proxy.HasContextAsync().AsTask().WaitAsync(TestHost.Timeout));
    }

    [Fact]
    public async Task A_hook_that_throws_changes_nothing_for_the_server()
    {
        var options = new RpcServerOptions { OnOneWayError = (_, _) => throw new InvalidOperationException("a broken hook") };
        await using TestHost host = await TestHost.StartAsync(TransportKind.InMemory, options);
        (RpcClient client, ICalculatorService calculator) = await host.ConnectProxyAsync();
        await using (client)
        {
            await client.CreateProxy<IContextService>().FireAndFailAsync("x").AsTask().WaitAsync(TestHost.Timeout);
            Assert.Equal(2, await calculator.AddAsync(1, 1).AsTask().WaitAsync(TestHost.Timeout));
        }
    }

    [Theory]
    [MemberData(nameof(TestHost.SocketTransports), MemberType = typeof(TestHost))]
    public async Task Hundreds_of_one_way_calls_all_arrive_with_or_without_metadata(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            for (int i = 0; i < 200; i++)
            {
                await proxy.NotifyAsync("plain " + i).AsTask().WaitAsync(TestHost.Timeout);
            }
            using (RpcCallOptions.Push(new RpcCallOptions { Headers = new RpcMetadata { { "k", "v" } }, Timeout = TimeSpan.FromSeconds(30) }))
            {
                for (int i = 0; i < 50; i++)
                {
                    await proxy.NotifyAsync("with metadata " + i).AsTask().WaitAsync(TestHost.Timeout);
                }
            }
            await StreamingTests.WaitUntilAsync(() => host.Service.Notifications.Count == 250);
            var arrived = new ConcurrentBag<string>(host.Service.Notifications);
            Assert.Contains("plain 199", arrived);
            Assert.Contains("with metadata 49", arrived);
        }
    }
}
