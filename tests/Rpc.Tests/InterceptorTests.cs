using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Rpc.Tests.Manual;
using Rpc.Tests.Support;
using Xunit;

namespace Rpc.Tests;

public sealed class InterceptorTests
{
    [Theory]
    [MemberData(nameof(TestHost.SocketTransports), MemberType = typeof(TestHost))]
    public async Task Interceptors_run_in_registration_order_the_first_outermost_on_both_sides(TransportKind transport)
    {
        var log = new ConcurrentQueue<string>();
        var serverOptions = new RpcServerOptions { Interceptors = { new Recording("s1", log), new Recording("s2", log) } };
        await using TestHost host = await TestHost.StartAsync(transport, serverOptions);
        var clientOptions = new RpcClientOptions { Interceptors = { new ClientRecording("c1", log), new ClientRecording("c2", log) } };
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync(clientOptions);
        await using (client)
        {
            Assert.Equal(5, await proxy.AddAsync(2, 3).AsTask().WaitAsync(TestHost.Timeout));
        }

        Assert.Equal(
            ["c1 > AddAsync", "c2 > AddAsync", "s1 > AddAsync", "s2 > AddAsync", "s2 < AddAsync = 5", "s1 < AddAsync = 5", "c2 < AddAsync = 5", "c1 < AddAsync = 5"],
            log.ToArray());
    }

    [Fact]
    public async Task A_server_interceptor_that_throws_PermissionDenied_keeps_the_handler_from_running()
    {
        var serverOptions = new RpcServerOptions { Interceptors = { new Deny(nameof(ICalculatorService.ResetAsync)) } };
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp, serverOptions);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => proxy.ResetAsync().AsTask().WaitAsync(TestHost.Timeout));
            Assert.Equal(RpcStatusCode.PermissionDenied, error.StatusCode);
            Assert.Equal("ResetAsync is not allowed.", error.Message);
            Assert.Equal(0, host.Service.Resets);
            Assert.Equal(7, await proxy.AddAsync(3, 4).AsTask().WaitAsync(TestHost.Timeout));
        }
    }

    [Fact]
    public async Task A_server_interceptor_can_answer_without_the_handler_and_replace_a_result()
    {
        var serverOptions = new RpcServerOptions { Interceptors = { new Answer() } };
        await using TestHost host = await TestHost.StartAsync(TransportKind.InMemory, serverOptions);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            // Answer short-circuits EchoAsync with its own result and doubles AddAsync's.
            Assert.Equal("from the interceptor", await proxy.EchoAsync("from the handler").WaitAsync(TestHost.Timeout));
            Assert.Equal(10, await proxy.AddAsync(2, 3).AsTask().WaitAsync(TestHost.Timeout));
        }
    }

    [Fact]
    public async Task A_client_interceptor_that_short_circuits_sends_nothing()
    {
        var serverLog = new ConcurrentQueue<string>();
        var serverOptions = new RpcServerOptions { Interceptors = { new Recording("s", serverLog) } };
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp, serverOptions);
        var clientOptions = new RpcClientOptions { Interceptors = { new ClientShortCircuit() } };
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync(clientOptions);
        await using (client)
        {
            // Answered from a "cache", refused, or skipped: none of them reaches the server.
            Assert.Equal(42, await proxy.AddAsync(1, 1).AsTask().WaitAsync(TestHost.Timeout));
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => proxy.EchoAsync("x").WaitAsync(TestHost.Timeout));
            Assert.Equal(RpcStatusCode.Unauthenticated, error.StatusCode);
            await proxy.ResetAsync().AsTask().WaitAsync(TestHost.Timeout);
            Assert.Empty(await StreamingTests.ReadAllAsync(client.CreateProxy<IStreamingService>().CountAsync(0, 10)));

            Assert.Equal(0, host.Service.Resets);
            // The one call let through is the only one the server saw.
            await proxy.SleepAsync(1).AsTask().WaitAsync(TestHost.Timeout);
            Assert.Equal(["s > SleepAsync", "s < SleepAsync = null"], serverLog.ToArray());
        }
    }

    [Fact]
    public async Task Interceptors_see_unary_one_way_and_streaming_calls_and_their_kinds()
    {
        var log = new ConcurrentQueue<string>();
        var serverOptions = new RpcServerOptions { Interceptors = { new KindRecording("server", log) } };
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp, serverOptions);
        var clientOptions = new RpcClientOptions { Interceptors = { new ClientKindRecording("client", log) } };
        await using RpcClient client = await host.ConnectAsync(clientOptions);
        ICalculatorService calculator = client.CreateProxy<ICalculatorService>();
        IStreamingService streaming = client.CreateProxy<IStreamingService>();

        Assert.Equal(3, await calculator.AddAsync(1, 2).AsTask().WaitAsync(TestHost.Timeout));
        await calculator.NotifyAsync("hello").AsTask().WaitAsync(TestHost.Timeout);
        await host.Service.NotificationReceived.Task.WaitAsync(TestHost.Timeout);
        Assert.Equal(Enumerable.Range(0, 100), await StreamingTests.ReadAllAsync(streaming.CountAsync(0, 100)));
        Assert.Equal(4950, await streaming.SumAsync(StreamingTests.Produce(100)).WaitAsync(TestHost.Timeout));
        Assert.Equal(Enumerable.Range(1, 100), await StreamingTests.ReadAllAsync(streaming.AddEachAsync(1, StreamingTests.Produce(100))));
        await StreamingTests.WaitUntilAsync(() => log.Count(entry => entry.StartsWith("server <", StringComparison.Ordinal)) == 5);

        string[] expected =
        [
            "Unary AddAsync", "OneWay NotifyAsync", "ServerStreaming CountAsync", "ClientStreaming SumAsync", "DuplexStreaming AddEachAsync",
        ];
        foreach (string side in new[] { "client", "server" })
        {
            Assert.Equal(expected.Select(e => $"{side} > {e}"), log.Where(entry => entry.StartsWith(side + " >", StringComparison.Ordinal)));
            Assert.Equal(expected.Select(e => $"{side} < {e}"), log.Where(entry => entry.StartsWith(side + " <", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task A_server_interceptor_observes_failures_and_times_calls_and_next_spans_the_whole_stream()
    {
        var observed = new ConcurrentQueue<(string Method, TimeSpan Elapsed, RpcStatusCode? Status, int Items)>();
        var serverOptions = new RpcServerOptions { Interceptors = { new Timing(observed) } };
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp, serverOptions);
        await using RpcClient client = await host.ConnectAsync();
        ICalculatorService calculator = client.CreateProxy<ICalculatorService>();
        IStreamingService streaming = client.CreateProxy<IStreamingService>();

        await calculator.SleepAsync(100).AsTask().WaitAsync(TestHost.Timeout);
        await Assert.ThrowsAsync<RpcException>(() => calculator.FailAsync((int)RpcStatusCode.NotFound, "no").AsTask().WaitAsync(TestHost.Timeout));
        await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (int item in streaming.FailAfterAsync(20, (int)RpcStatusCode.Aborted, "stop"))
            {
            }
        }).WaitAsync(TestHost.Timeout);
        await StreamingTests.WaitUntilAsync(() => observed.Count == 3);

        (string Method, TimeSpan Elapsed, RpcStatusCode? Status, int Items)[] calls = observed.ToArray();
        Assert.Equal("SleepAsync", calls[0].Method);
        Assert.True(calls[0].Elapsed >= TimeSpan.FromMilliseconds(90), $"timed {calls[0].Elapsed}");
        Assert.Null(calls[0].Status);
        Assert.Equal(("FailAsync", RpcStatusCode.NotFound), (calls[1].Method, calls[1].Status));
        Assert.Equal(("FailAfterAsync", RpcStatusCode.Aborted), (calls[2].Method, calls[2].Status));
    }

    [Fact]
    public async Task A_client_interceptor_can_add_headers_and_a_deadline_and_read_the_response_metadata()
    {
        var seen = new ConcurrentQueue<string?>();
        var clientOptions = new RpcClientOptions { Interceptors = { new Decorate(seen) } };
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp, new RpcServerOptions { AlwaysCreateContext = true });
        await using RpcClient client = await host.ConnectAsync(clientOptions);
        IContextService proxy = client.CreateProxy<IContextService>();

        Assert.Equal("added by an interceptor", await proxy.GetHeaderAsync("x-added").AsTask().WaitAsync(TestHost.Timeout));
        long deadline = await proxy.GetDeadlineAsync().AsTask().WaitAsync(TestHost.Timeout);
        Assert.InRange(new DateTimeOffset(deadline, TimeSpan.Zero), DateTimeOffset.UtcNow.AddMinutes(4), DateTimeOffset.UtcNow.AddMinutes(6));
        Assert.Equal("ok", await proxy.AnnotateAsync("node-1", "3ms").AsTask().WaitAsync(TestHost.Timeout));
        Assert.Equal(new string?[] { null, null, "node-1" }, seen.ToArray());

        // The headers the interceptor added did not leak into the options the caller pushed.
        var headers = new RpcMetadata { { "mine", "1" } };
        using (RpcCallOptions.Push(new RpcCallOptions { Headers = headers }))
        {
            Assert.Equal("1", await proxy.GetHeaderAsync("mine").AsTask().WaitAsync(TestHost.Timeout));
        }
        Assert.Single(headers);
    }

    [Fact]
    public async Task A_server_interceptor_can_add_headers_and_trailers_to_a_stream()
    {
        var serverOptions = new RpcServerOptions { Interceptors = { new StreamMetadata() } };
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp, serverOptions);
        await using RpcClient client = await host.ConnectAsync();
        IStreamingService proxy = client.CreateProxy<IStreamingService>();

        var options = new RpcCallOptions();
        using (RpcCallOptions.Push(options))
        {
            Assert.Equal(Enumerable.Range(0, 50), await StreamingTests.ReadAllAsync(proxy.CountAsync(0, 50)));
        }
        Assert.Equal("CountAsync", options.ResponseHeaders?.GetString("method"));
        Assert.Equal("50", options.ResponseTrailers?.GetString("items"));
    }

    private sealed class Recording(string name, ConcurrentQueue<string> log) : IRpcServerInterceptor
    {
        public async ValueTask InterceptAsync(RpcContext context, RpcServerContinuation next)
        {
            log.Enqueue($"{name} > {context.Method.MethodName}");
            await next(context);
            log.Enqueue($"{name} < {context.Method.MethodName} = {context.Result ?? "null"}");
        }
    }

    private sealed class ClientRecording(string name, ConcurrentQueue<string> log) : IRpcClientInterceptor
    {
        public async ValueTask InterceptAsync(RpcClientCallContext context, RpcClientContinuation next)
        {
            log.Enqueue($"{name} > {context.Method.MethodName}");
            await next(context);
            log.Enqueue($"{name} < {context.Method.MethodName} = {context.Result ?? "null"}");
        }
    }

    private sealed class Deny(string method) : IRpcServerInterceptor
    {
        public ValueTask InterceptAsync(RpcContext context, RpcServerContinuation next) =>
            context.Method.MethodName == method
                ? throw new RpcException(RpcStatusCode.PermissionDenied, $"{method} is not allowed.")
                : next(context);
    }

    private sealed class Answer : IRpcServerInterceptor
    {
        public async ValueTask InterceptAsync(RpcContext context, RpcServerContinuation next)
        {
            if (context.Method.MethodName == nameof(ICalculatorService.EchoAsync))
            {
                context.Result = "from the interceptor";
                return;
            }
            await next(context);
            if (context.Result is int sum)
            {
                context.Result = sum * 2;
            }
        }
    }

    private sealed class ClientShortCircuit : IRpcClientInterceptor
    {
        public ValueTask InterceptAsync(RpcClientCallContext context, RpcClientContinuation next)
        {
            switch (context.Method.MethodName)
            {
                case nameof(ICalculatorService.AddAsync):
                    context.Result = 42;
                    return default;
                case nameof(ICalculatorService.EchoAsync):
                    throw new RpcException(RpcStatusCode.Unauthenticated, "no credentials");
                case nameof(ICalculatorService.SleepAsync):
                    return next(context);
                default:
                    return default;
            }
        }
    }

    private sealed class KindRecording(string side, ConcurrentQueue<string> log) : IRpcServerInterceptor
    {
        public async ValueTask InterceptAsync(RpcContext context, RpcServerContinuation next)
        {
            log.Enqueue($"{side} > {context.Method.Kind} {context.Method.MethodName}");
            await next(context);
            log.Enqueue($"{side} < {context.Method.Kind} {context.Method.MethodName}");
        }
    }

    private sealed class ClientKindRecording(string side, ConcurrentQueue<string> log) : IRpcClientInterceptor
    {
        public async ValueTask InterceptAsync(RpcClientCallContext context, RpcClientContinuation next)
        {
            log.Enqueue($"{side} > {context.Method.Kind} {context.Method.MethodName}");
            await next(context);
            log.Enqueue($"{side} < {context.Method.Kind} {context.Method.MethodName}");
        }
    }

    private sealed class Timing(ConcurrentQueue<(string, TimeSpan, RpcStatusCode?, int)> observed) : IRpcServerInterceptor
    {
        public async ValueTask InterceptAsync(RpcContext context, RpcServerContinuation next)
        {
            var stopwatch = Stopwatch.StartNew();
            try
            {
                await next(context);
                observed.Enqueue((context.Method.MethodName, stopwatch.Elapsed, null, 0));
            }
            catch (RpcException ex)
            {
                observed.Enqueue((context.Method.MethodName, stopwatch.Elapsed, ex.StatusCode, 0));
                throw;
            }
        }
    }

    private sealed class Decorate(ConcurrentQueue<string?> seen) : IRpcClientInterceptor
    {
        public async ValueTask InterceptAsync(RpcClientCallContext context, RpcClientContinuation next)
        {
            context.RequestHeaders.Add("x-added", "added by an interceptor");
            context.Deadline ??= DateTimeOffset.UtcNow.AddMinutes(5);
            await next(context);
            if (context.Method.MethodName != nameof(IContextService.HasContextAsync))
            {
                seen.Enqueue(context.ResponseHeaders?.GetString("served-by"));
            }
        }
    }

    private sealed class StreamMetadata : IRpcServerInterceptor
    {
        public async ValueTask InterceptAsync(RpcContext context, RpcServerContinuation next)
        {
            context.ResponseHeaders.Add("method", context.Method.MethodName);
            await next(context);
            // next completed: the whole stream was sent (50 items); the trailers go with its end.
            context.ResponseTrailers.Add("items", "50");
        }
    }
}
