using System;
using System.Threading.Tasks;
using Rpc.Tests.Manual;
using Rpc.Tests.Support;
using Xunit;

namespace Rpc.Tests;

public sealed class FrameSizeTests
{
    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_request_over_the_clients_limit_fails_just_that_call_with_ResourceExhausted(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync(new RpcClientOptions { MaxFrameSize = 1024 });
        await using (client)
        {
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => proxy.EchoAsync(new string('a', 2000)).WaitAsync(TestHost.Timeout));
            Assert.Equal(RpcStatusCode.ResourceExhausted, error.StatusCode);
            Assert.Equal("small", await proxy.EchoAsync("small").WaitAsync(TestHost.Timeout));
        }
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_result_over_the_servers_limit_fails_just_that_call_with_ResourceExhausted(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport, new RpcServerOptions { MaxFrameSize = 1024 });
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => proxy.GetBytesAsync(4096).AsTask().WaitAsync(TestHost.Timeout));
            Assert.Equal(RpcStatusCode.ResourceExhausted, error.StatusCode);
            Assert.Equal(100, (await proxy.GetBytesAsync(100).AsTask().WaitAsync(TestHost.Timeout)).Length);
        }
    }

    [Fact]
    public async Task A_response_over_the_clients_limit_fails_that_call_and_the_client_goes_on_on_a_new_connection()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.InMemory);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync(new RpcClientOptions { MaxFrameSize = 1024 });
        await using (client)
        {
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => proxy.GetBytesAsync(4096).AsTask().WaitAsync(TestHost.Timeout));
            Assert.Equal(RpcStatusCode.ResourceExhausted, error.StatusCode);
            // The connection was closed (the stream cannot be trusted past a frame it refused); the client reconnects.
            await StreamingTests.WaitUntilAsync(() => client.Subchannel.Reconnects == 1 && client.State == RpcConnectionState.Ready);
            Assert.Equal(2, await proxy.AddAsync(1, 1).AsTask().WaitAsync(TestHost.Timeout));
        }
    }
}
