using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Protocol;
using Rpc.Server;
using Rpc.Tests.Manual;
using Rpc.Tests.Support;
using Xunit;

namespace Rpc.Tests;

/// <summary><see cref="RpcServerOptions.MaxConcurrentCallsPerConnection"/>: what one connection may make the server hold.</summary>
public sealed class ConcurrencyLimitTests
{
    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_call_beyond_the_connections_limit_fails_with_ResourceExhausted_and_the_next_one_after_a_call_finished_runs(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport, new RpcServerOptions { MaxConcurrentCallsPerConnection = 2 });
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            // A unary call and a stream, both left running: streams count as calls.
            using var sleepCancellation = new CancellationTokenSource();
            ValueTask sleeping = proxy.SleepAsync(60_000, sleepCancellation.Token);
            using var streamCancellation = new CancellationTokenSource();
            await using IAsyncEnumerator<int> stream = client.CreateProxy<IStreamingService>().ForeverAsync(streamCancellation.Token).GetAsyncEnumerator();
            Assert.True(await stream.MoveNextAsync().AsTask().WaitAsync(TestHost.Timeout));
            RpcServerConnection connection = await host.SingleServerConnectionAsync();
            await StreamingTests.WaitUntilAsync(() => connection.ActiveCalls == 2);

            RpcException refused = await Assert.ThrowsAsync<RpcException>(() => proxy.AddAsync(1, 2).AsTask().WaitAsync(TestHost.Timeout));
            Assert.Equal(RpcStatusCode.ResourceExhausted, refused.StatusCode);
            Assert.Contains("MaxConcurrentCallsPerConnection", refused.Message);

            // The limit is per connection: another client is served meanwhile.
            (RpcClient other, ICalculatorService otherProxy) = await host.ConnectProxyAsync();
            await using (other)
            {
                Assert.Equal(5, await otherProxy.AddAsync(2, 3).AsTask().WaitAsync(TestHost.Timeout));
            }

            // Once a call has finished on the server, the connection takes calls again.
            sleepCancellation.Cancel();
            await Assert.ThrowsAsync<RpcException>(() => sleeping.AsTask().WaitAsync(TestHost.Timeout));
            await StreamingTests.WaitUntilAsync(() => connection.ActiveCalls == 1);
            Assert.Equal(3, await proxy.AddAsync(1, 2).AsTask().WaitAsync(TestHost.Timeout));
            streamCancellation.Cancel();
        }
    }

    [Fact]
    public async Task A_one_way_call_beyond_the_limit_is_not_run_and_is_reported_to_the_servers_hook()
    {
        var reported = new TaskCompletionSource<(RpcMethodDescriptor, Exception)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new RpcServerOptions
        {
            MaxConcurrentCallsPerConnection = 1,
            OnOneWayError = (method, exception) => reported.TrySetResult((method, exception)),
        };
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp, options);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            using var cancellation = new CancellationTokenSource();
            ValueTask sleeping = proxy.SleepAsync(60_000, cancellation.Token);
            RpcServerConnection connection = await host.SingleServerConnectionAsync();
            await StreamingTests.WaitUntilAsync(() => connection.ActiveCalls == 1);

            await proxy.NotifyAsync("over the limit").AsTask().WaitAsync(TestHost.Timeout);

            (RpcMethodDescriptor method, Exception exception) = await reported.Task.WaitAsync(TestHost.Timeout);
            Assert.Same(CalculatorMethods.Notify, method);
            Assert.Equal(RpcStatusCode.ResourceExhausted, Assert.IsType<RpcException>(exception).StatusCode);
            Assert.Empty(host.Service.Notifications);
            cancellation.Cancel();
            await Assert.ThrowsAsync<RpcException>(() => sleeping.AsTask().WaitAsync(TestHost.Timeout));
        }
    }

    [Fact]
    public async Task A_reused_call_id_is_still_a_protocol_error_when_the_connection_is_at_its_limit()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.InMemory, new RpcServerOptions { MaxConcurrentCallsPerConnection = 1 });
        await using RawConnection raw = await RawConnection.ConnectAndHandshakeAsync(host.EndPoint);
        byte[] sleep = RawConnection.Frame((byte)RpcFrameType.Request, 7, CalculatorMethods.Sleep.Id, 0, BitConverter.GetBytes(60_000));
        await raw.SendAsync(sleep);
        RpcServerConnection connection = await host.SingleServerConnectionAsync();
        await StreamingTests.WaitUntilAsync(() => connection.ActiveCalls == 1);

        await raw.SendAsync(sleep);

        byte[] rest = await raw.ReadUntilClosedAsync();
        RpcFrameHeader header = RpcFrameHeader.Read(rest);
        Assert.Equal(RpcFrameType.GoAway, header.Type);
        (RpcStatusCode status, string message) = RpcControlFrames.ReadGoAway(rest.AsSpan(RpcFrameHeader.Size, (int)header.PayloadLength), Serialization.RpcSerializerOptions.Default);
        Assert.Equal(RpcStatusCode.Internal, status);
        Assert.Contains("already in use", message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_limit_below_one_is_refused_when_the_server_is_created(int limit)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new RpcServer(new RpcServerOptions { MaxConcurrentCallsPerConnection = limit }));
        Assert.Equal(nameof(RpcServerOptions.MaxConcurrentCallsPerConnection), error.ParamName);
    }
}
