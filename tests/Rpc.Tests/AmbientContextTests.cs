#pragma warning disable CA2255 // the test service registers its hand-written proxy and binder as generated code does
using System;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Client;
using Rpc.Serialization;
using Rpc.Server;
using Rpc.Tests.Support;
using Xunit;

namespace Rpc.Tests;

public sealed class AmbientContextTests
{
    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_plain_calls_handler_finds_its_context_after_awaits_without_any_option(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        host.Server.AddService<IAmbientService>(new AmbientService());
        await using RpcClient client = await host.ConnectAsync();
        IAmbientService ambient = client.CreateProxy<IAmbientService>();

        Assert.Equal("ReadAfterAwaitsAsync:7:same", await ambient.ReadAfterAwaitsAsync(7));
    }

    [Fact]
    public async Task Concurrent_plain_calls_each_see_their_own_context_across_awaits()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp);
        host.Server.AddService<IAmbientService>(new AmbientService());
        await using RpcClient client = await host.ConnectAsync();
        IAmbientService ambient = client.CreateProxy<IAmbientService>();

        string[] answers = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => ambient.ReadAfterAwaitsAsync(i).AsTask()));

        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"ReadAfterAwaitsAsync:{i}:same"), answers);
    }

    [Fact]
    public async Task Work_a_handler_leaves_behind_sees_no_context_once_its_call_finished()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Unix);
        var service = new AmbientService();
        host.Server.AddService<IAmbientService>(service);
        await using RpcClient client = await host.ConnectAsync();

        await client.CreateProxy<IAmbientService>().LeaveWorkBehindAsync();
        service.Release.SetResult();

        Assert.Equal("none", await service.LeftBehind.Task.WaitAsync(TestHost.Timeout));
    }

    public interface IAmbientService
    {
        /// <summary>Puts the argument in the context's items, awaits twice (once on another thread), then reads the context again.</summary>
        ValueTask<string> ReadAfterAwaitsAsync(int value);

        /// <summary>Starts work that reads the context after the call has finished.</summary>
        ValueTask LeaveWorkBehindAsync();
    }

    private sealed class AmbientService : IAmbientService
    {
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<string> LeftBehind { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<string> ReadAfterAwaitsAsync(int value)
        {
            await Task.Yield();
            RpcContext first = RpcContext.Current ?? throw new InvalidOperationException("No context after the first await.");
            first.Items["value"] = value;
            await Task.Delay(1).ConfigureAwait(false);
            RpcContext second = RpcContext.Current ?? throw new InvalidOperationException("No context after the second await.");
            return $"{second.Method.MethodName}:{second.Items["value"]}:{(ReferenceEquals(first, second) ? "same" : "other")}";
        }

        public ValueTask LeaveWorkBehindAsync()
        {
            _ = Task.Run(async () =>
            {
                await Release.Task.ConfigureAwait(false);
                await Task.Delay(50).ConfigureAwait(false);
                LeftBehind.SetResult(RpcContext.Current is null ? "none" : "a context");
            });
            return default;
        }
    }

    internal static class AmbientMethods
    {
        public const string ServiceName = "Rpc.Tests.IAmbientService";
        public static readonly RpcMethodDescriptor ReadAfterAwaits = new(ServiceName, "ReadAfterAwaitsAsync", 0x7A01, RpcMethodKind.Unary);
        public static readonly RpcMethodDescriptor LeaveWorkBehind = new(ServiceName, "LeaveWorkBehindAsync", 0x7A02, RpcMethodKind.Unary);

        [ModuleInitializer]
        internal static void Register()
        {
            RpcProxyRegistry.Register<IAmbientService>(static invoker => new Proxy(invoker));
            RpcServiceRegistry.Register<IAmbientService>(static binder =>
            {
                binder.AddUnary<string>(ReadAfterAwaits, static (IAmbientService service, ref RpcReader reader, CancellationToken _) =>
                    service.ReadAfterAwaitsAsync(reader.ReadValue<int>()));
                binder.AddUnary(LeaveWorkBehind, static (IAmbientService service, ref RpcReader reader, CancellationToken _) =>
                    service.LeaveWorkBehindAsync());
            });
        }
    }

    private sealed class Proxy(IRpcCallInvoker invoker) : IAmbientService
    {
        public ValueTask<string> ReadAfterAwaitsAsync(int value)
        {
            RpcOutgoingCall call = invoker.StartCall(AmbientMethods.ReadAfterAwaits, default);
            RpcWriter writer = call.CreateArgumentWriter();
            writer.WriteValue(value);
            writer.Flush();
            return call.InvokeAsync<string>();
        }

        public ValueTask LeaveWorkBehindAsync() => invoker.StartCall(AmbientMethods.LeaveWorkBehind, default).InvokeAsync();
    }
}
