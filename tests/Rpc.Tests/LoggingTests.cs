using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Diagnostics;
using Rpc.Tests.Manual;
using Rpc.Tests.Support;
using Xunit;

namespace Rpc.Tests;

public sealed class LoggingTests
{
    [Fact]
    public async Task Connections_opened_GoAway_on_drain_and_connections_closed_are_reported_on_both_sides()
    {
        var serverLog = new RecordingLogger();
        var clientLog = new RecordingLogger();
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp, new RpcServerOptions { Logger = serverLog });
        await using RpcClient client = await host.ConnectAsync(new RpcClientOptions { Logger = clientLog, InitialReconnectDelay = TimeSpan.FromSeconds(30), MaxReconnectDelay = TimeSpan.FromSeconds(30) });
        Assert.Equal(3, await client.CreateProxy<ICalculatorService>().AddAsync(1, 2));

        await host.Server.StopAsync(new CancellationTokenSource(TestHost.Timeout).Token);
        await serverLog.WaitForAsync("ConnectionClosed Server");
        await clientLog.WaitForAsync("ConnectionClosed Client");
        await clientLog.WaitForAsync("ReconnectFailed");

        Assert.Contains("ConnectionOpened Server", serverLog.Events);
        Assert.Contains("GoAwaySent Server", serverLog.Events);
        Assert.Contains("ConnectionOpened Client", clientLog.Events);
        Assert.Contains("GoAwayReceived Client", clientLog.Events);
        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)clientLog.LastRemote!).Address);
    }

    [Fact]
    public async Task A_handler_exception_and_a_failed_one_way_call_reach_the_logger_and_nothing_else()
    {
        var log = new RecordingLogger();
        await using TestHost host = await TestHost.StartAsync(TransportKind.Unix, new RpcServerOptions { Logger = log });
        (RpcClient client, ICalculatorService calculator) = await host.ConnectProxyAsync();
        await using (client)
        {
            var failure = await Assert.ThrowsAsync<RpcException>(() => calculator.FailAsync(-1, "broken").AsTask());
            Assert.Equal(RpcStatusCode.Unknown, failure.StatusCode);
            await log.WaitForAsync("HandlerFailed " + CalculatorMethods.ServiceName + "/FailAsync");

            // RpcExceptions are the handler's answer, not a failure to report.
            await Assert.ThrowsAsync<RpcException>(() => calculator.FailAsync((int)RpcStatusCode.NotFound, "none").AsTask());

            await client.CreateProxy<IContextService>().FireAndFailAsync("the handler broke");
            await log.WaitForAsync("OneWayFailed " + ContextMethods.FireAndFail.FullName);
            Assert.Single(log.Events, e => e.StartsWith("HandlerFailed", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_logger_that_throws_changes_nothing()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.InMemory, new RpcServerOptions { Logger = new ThrowingLogger() });
        (RpcClient client, ICalculatorService calculator) = await host.ConnectProxyAsync(new RpcClientOptions { Logger = new ThrowingLogger() });
        await using (client)
        {
            await Assert.ThrowsAsync<RpcException>(() => calculator.FailAsync(-1, "broken").AsTask());
            Assert.Equal(2, await calculator.AddAsync(1, 1));
        }
    }

    [Fact]
    public void One_way_failures_go_nowhere_by_default()
    {
        Assert.Null(new RpcServerOptions().OnOneWayError);
        Assert.Null(new RpcServerOptions().Logger);
        Assert.Null(new RpcClientOptions().Logger);
    }

    internal sealed class RecordingLogger : RpcLogger
    {
        private readonly ConcurrentQueue<string> _events = new();

        public string[] Events => _events.ToArray();

        public EndPoint? LastRemote { get; private set; }

        public async Task WaitForAsync(string name)
        {
            var deadline = DateTime.UtcNow + TestHost.Timeout;
            while (!_events.Contains(name))
            {
                Assert.True(DateTime.UtcNow < deadline, $"No {name} in: {string.Join(", ", _events)}");
                await Task.Delay(10);
            }
        }

        public override void ConnectionOpened(RpcConnectionSide side, EndPoint? remote)
        {
            LastRemote = remote;
            _events.Enqueue("ConnectionOpened " + side);
        }

        public override void ConnectionClosed(RpcConnectionSide side, EndPoint? remote, RpcException? reason) => _events.Enqueue("ConnectionClosed " + side);

        public override void GoAwaySent(RpcConnectionSide side, EndPoint? remote, RpcStatusCode status, string message) => _events.Enqueue("GoAwaySent " + side);

        public override void GoAwayReceived(RpcConnectionSide side, EndPoint? remote, string message) => _events.Enqueue("GoAwayReceived " + side);

        public override void HandlerFailed(RpcMethodDescriptor method, Exception exception) => _events.Enqueue("HandlerFailed " + method.FullName);

        public override void OneWayFailed(RpcMethodDescriptor method, Exception exception) => _events.Enqueue("OneWayFailed " + method.FullName);

        public override void ReconnectFailed(EndPoint remote, int attempt, Exception exception) => _events.Enqueue("ReconnectFailed");
    }

    private sealed class ThrowingLogger : RpcLogger
    {
        public override void ConnectionOpened(RpcConnectionSide side, EndPoint? remote) => throw new InvalidOperationException("broken logger");

        public override void HandlerFailed(RpcMethodDescriptor method, Exception exception) => throw new InvalidOperationException("broken logger");
    }
}
