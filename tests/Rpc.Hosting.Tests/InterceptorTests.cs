using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Rpc.Hosting.Tests;

public sealed class InterceptorTests
{
    /// <summary>A server interceptor whose dependency comes from DI: it counts calls into the shared ProbeLog.</summary>
    private sealed class CountingInterceptor : IRpcServerInterceptor
    {
        private readonly CallCounter _counter;

        public CountingInterceptor(CallCounter counter) => _counter = counter;

        public ValueTask InterceptAsync(RpcContext context, RpcServerContinuation next)
        {
            Interlocked.Increment(ref _counter.Calls);
            context.ResponseHeaders.Add("intercepted-by", nameof(CountingInterceptor));
            return next(context);
        }
    }

    private sealed class CallCounter
    {
        public int Calls;
    }

    [Fact]
    public async Task A_server_interceptor_comes_from_dependency_injection_with_its_own_dependencies()
    {
        string endpoint = TestHosts.NewUnixEndpoint();
        using IHost host = TestHosts.Build(services =>
        {
            services.AddSingleton<ProbeLog>();
            services.AddScoped<ScopedProbe>();
            services.AddSingleton<CallCounter>();
            services.AddRpcServer(options => options.Endpoints.Add(endpoint))
                .AddService<ITestGreeter, TestGreeterService>()
                .AddInterceptor<CountingInterceptor>();
            services.AddRpcClient<ITestGreeter>(options => options.Address = endpoint);
        });
        await host.StartAsync();
        var greeter = host.Services.GetRequiredService<ITestGreeter>();

        var options = new RpcCallOptions();
        using (RpcCallOptions.Push(options))
        {
            await greeter.HelloAsync("one");
            await greeter.HelloAsync("two");
        }
        Assert.Equal(2, host.Services.GetRequiredService<CallCounter>().Calls);
        Assert.Equal(nameof(CountingInterceptor), options.ResponseHeaders?.GetString("intercepted-by"));
        await host.StopAsync();
    }
}
