using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Client;
using Rpc.Serialization;
using Rpc.Tests.Manual;
using Rpc.Tests.Support;
using Xunit;

namespace Rpc.Tests;

public sealed class StatusMappingTests
{
    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task An_RpcException_thrown_by_a_handler_keeps_its_status_and_message(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => proxy.FailAsync((int)RpcStatusCode.NotFound, "no such thing").AsTask().WaitAsync(TestHost.Timeout));
            Assert.Equal(RpcStatusCode.NotFound, error.StatusCode);
            Assert.Equal("no such thing", error.Message);
            Assert.Null(error.ServerDetail);
        }
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task Any_other_exception_becomes_Unknown_without_a_stack_trace(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => proxy.FailAsync(-1, "secret internals").AsTask().WaitAsync(TestHost.Timeout));
            Assert.Equal(RpcStatusCode.Unknown, error.StatusCode);
            Assert.Equal("Exception was thrown by handler.", error.Message);
            Assert.Null(error.ServerDetail);
            Assert.DoesNotContain("secret internals", error.ToString());
        }
    }

    [Fact]
    public async Task With_IncludeExceptionDetails_the_servers_exception_travels_as_ServerDetail()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.InMemory, new RpcServerOptions { IncludeExceptionDetails = true });
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => proxy.FailAsync(-1, "visible internals").AsTask().WaitAsync(TestHost.Timeout));
            Assert.Equal(RpcStatusCode.Unknown, error.StatusCode);
            Assert.NotNull(error.ServerDetail);
            Assert.Contains("InvalidOperationException", error.ServerDetail);
            Assert.Contains("visible internals", error.ServerDetail);
            Assert.Contains(nameof(CalculatorService.FailAsync), error.ServerDetail);
        }
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task An_unknown_method_id_fails_that_call_with_Unimplemented(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        await using RpcClient client = await host.ConnectAsync();
        var missing = new RpcMethodDescriptor("Nowhere", "Nothing", 0xDEAD, RpcMethodKind.Unary);
        RpcOutgoingCall call = client.StartCall(missing, CancellationToken.None);
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => call.InvokeAsync<int>().AsTask().WaitAsync(TestHost.Timeout));
        Assert.Equal(RpcStatusCode.Unimplemented, error.StatusCode);
        Assert.Equal(9, await client.CreateProxy<ICalculatorService>().AddAsync(4, 5).AsTask().WaitAsync(TestHost.Timeout));
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task Malformed_arguments_fail_that_call_with_InvalidArgument(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        await using RpcClient client = await host.ConnectAsync();
        // Echo expects a string: a length header that claims more bytes than follow.
        RpcOutgoingCall call = client.StartCall(CalculatorMethods.Echo, CancellationToken.None);
        RpcWriter writer = call.CreateArgumentWriter();
        writer.WriteUnmanaged(1000);
        writer.Flush();
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => call.InvokeAsync<string>().AsTask().WaitAsync(TestHost.Timeout));
        Assert.Equal(RpcStatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("still here", await client.CreateProxy<ICalculatorService>().EchoAsync("still here").WaitAsync(TestHost.Timeout));
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task One_failing_call_does_not_disturb_concurrent_ones(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            Task[] calls = Enumerable.Range(0, 200).Select(i => i % 2 == 0
                ? proxy.FailAsync(i % 4 == 0 ? (int)RpcStatusCode.Aborted : -1, "fail " + i).AsTask()
                : (Task)proxy.AddAsync(i, 1).AsTask()).ToArray();
            await Task.WhenAny(Task.WhenAll(calls)).WaitAsync(TestHost.Timeout);
            for (int i = 0; i < calls.Length; i++)
            {
                if (i % 2 == 0)
                {
                    RpcException error = Assert.IsType<RpcException>(calls[i].Exception!.InnerException);
                    Assert.Equal(i % 4 == 0 ? RpcStatusCode.Aborted : RpcStatusCode.Unknown, error.StatusCode);
                }
                else
                {
                    Assert.Equal(i + 1, await (Task<int>)calls[i]);
                }
            }
        }
    }

    [Fact]
    public async Task A_proxy_whose_argument_serialization_throws_abandons_the_call_and_the_client_keeps_working()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.InMemory);
        await using RpcClient client = await host.ConnectAsync();
        RpcOutgoingCall call = client.StartCall(CalculatorMethods.Echo, CancellationToken.None);
        try
        {
            RpcWriter writer = call.CreateArgumentWriter();
            writer.WriteValue(new Unserializable());
            writer.Flush();
            Assert.Fail("Serializing a type with no formatter should throw.");
        }
        catch (RpcSerializationException)
        {
            call.Abandon();
        }
        Assert.Equal("ok", await client.CreateProxy<ICalculatorService>().EchoAsync("ok").WaitAsync(TestHost.Timeout));
    }

    private sealed class Unserializable
    {
    }
}
