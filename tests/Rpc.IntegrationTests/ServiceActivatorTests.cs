using System.Net;
using Rpc;
using Rpc.Server;

namespace Rpc.IntegrationTests;

/// <summary>Services added with an <see cref="IRpcServiceActivator{TService}"/>: an instance per call, its lifetime ended with the call.</summary>
public sealed class ServiceActivatorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>Makes a new service per call and counts activations and disposals of their lifetimes.</summary>
    private sealed class CountingActivator<TService>(Func<TService> create) : IRpcServiceActivator<TService> where TService : class
    {
        private int _activated;
        private int _disposed;

        public int Activated => Volatile.Read(ref _activated);

        public int Disposed => Volatile.Read(ref _disposed);

        public List<TService> Instances { get; } = new();

        public TService Activate(out IAsyncDisposable? lifetime)
        {
            Interlocked.Increment(ref _activated);
            TService service = create();
            lock (Instances)
            {
                Instances.Add(service);
            }
            lifetime = new Lifetime(this);
            return service;
        }

        private sealed class Lifetime(CountingActivator<TService> owner) : IAsyncDisposable
        {
            public ValueTask DisposeAsync()
            {
                Interlocked.Increment(ref owner._disposed);
                return default;
            }
        }
    }

    private sealed class PassThrough : IRpcServerInterceptor
    {
        public ValueTask InterceptAsync(RpcContext context, RpcServerContinuation next) => next(context);
    }

    private static async Task<(RpcServer Server, RpcClient Client)> StartAsync<TService>(IRpcServiceActivator<TService> activator, string transport, RpcServerOptions? options = null)
        where TService : class
    {
        var server = new RpcServer(options);
        server.AddService(activator);
        EndPoint bound = await server.ListenAsync(Transports.Create(transport));
        return (server, await RpcClient.ConnectAsync(bound).WaitAsync(Timeout));
    }

    [Theory]
    [MemberData(nameof(Transports.All), MemberType = typeof(Transports))]
    public async Task Each_plain_call_gets_a_new_instance_whose_lifetime_ends_before_the_response(string transport)
    {
        var activator = new CountingActivator<IInventory>(() => new Inventory());
        var (server, client) = await StartAsync(activator, transport);
        await using (server)
        await using (client)
        {
            IInventory inventory = client.CreateProxy<IInventory>();
            Assert.Equal(1, await inventory.AddAsync(new Item("A", "a", 1, Category.Toys, [])).WaitAsync(Timeout));
            Assert.Equal(1, activator.Disposed);
            // A new instance: the first call's item is not in it.
            Assert.Null(await inventory.FindAsync("A").AsTask().WaitAsync(Timeout));
            Assert.Equal(2, activator.Disposed);
            await inventory.AddAsync(new Item("B", "b", -1, Category.Toys, [])).ContinueWith(_ => { });
            Assert.Equal(3, activator.Activated);
            Assert.Equal(3, activator.Disposed);
        }
    }

    [Fact]
    public async Task Calls_through_interceptors_get_an_instance_and_end_its_lifetime_too()
    {
        var activator = new CountingActivator<IInventory>(() => new Inventory());
        var options = new RpcServerOptions();
        options.Interceptors.Add(new PassThrough());
        var (server, client) = await StartAsync(activator, "unix", options);
        await using (server)
        await using (client)
        {
            IInventory inventory = client.CreateProxy<IInventory>();
            Assert.Equal("pong: x", await inventory.PingAsync("x").WaitAsync(Timeout));
            var failure = await Assert.ThrowsAsync<RpcException>(() => inventory.RemoveAsync("missing").WaitAsync(Timeout));
            Assert.Equal(RpcStatusCode.Unknown, failure.StatusCode);
            Assert.Equal(2, activator.Activated);
            Assert.Equal(2, activator.Disposed);
        }
    }

    [Fact]
    public async Task A_plain_call_of_an_activated_service_sees_its_context_when_it_asks()
    {
        var activator = new CountingActivator<ISensors>(() => new Sensors());
        var (server, client) = await StartAsync(activator, "unix");
        await using (server)
        await using (client)
        {
            // The handler reads RpcContext.Current before and after an await: both work.
            Assert.StartsWith("PlainContextAsync from ", await client.CreateProxy<ISensors>().PlainContextAsync(7).AsTask().WaitAsync(Timeout));
            Assert.Equal(1, activator.Disposed);
        }
    }

    [Fact]
    public async Task Streaming_calls_end_the_lifetime_when_their_streams_end()
    {
        var activator = new CountingActivator<ISensors>(() => new Sensors());
        var (server, client) = await StartAsync(activator, "unix");
        await using (server)
        await using (client)
        {
            ISensors sensors = client.CreateProxy<ISensors>();
            int received = 0;
            await foreach (Reading _ in sensors.WatchAsync(10).WithCancellation(new CancellationTokenSource(Timeout).Token))
            {
                received++;
            }
            Assert.Equal(10, received);
            Assert.Equal(1, activator.Disposed);
            Assert.True(((Sensors)activator.Instances[0]).WatchStopped.Task.IsCompleted);

            Assert.Equal(21, await sensors.AverageAsync(Readings(3)).WaitAsync(Timeout));
            Assert.Equal(2, activator.Disposed);

            var echoed = new List<string>();
            await foreach (string line in sensors.EchoAsync("> ", Lines("a", "b")))
            {
                echoed.Add(line);
            }
            Assert.Equal(["> a", "> b"], echoed);
            Assert.Equal(3, activator.Activated);
            Assert.Equal(3, activator.Disposed);
        }
    }

    [Fact]
    public async Task A_one_way_call_ends_its_lifetime_after_its_handler()
    {
        var activator = new CountingActivator<IInventory>(() => new Inventory());
        var (server, client) = await StartAsync(activator, "unix");
        await using (server)
        await using (client)
        {
            await client.CreateProxy<IInventory>().AuditAsync("entry").AsTask().WaitAsync(Timeout);
            var deadline = DateTime.UtcNow + Timeout;
            while (activator.Disposed == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }
            Assert.Equal(1, activator.Disposed);
            Assert.Equal(["entry"], ((Inventory)activator.Instances[0]).Audit);
        }
    }

    [Fact]
    public async Task An_activator_that_throws_fails_the_call_and_the_next_calls_go_on()
    {
        int attempts = 0;
        var activator = new CountingActivator<ICalculator>(() => Interlocked.Increment(ref attempts) == 1 ? throw new InvalidOperationException("no instance") : new Calculator());
        var (server, client) = await StartAsync(activator, "unix");
        await using (server)
        await using (client)
        {
            ICalculator calculator = client.CreateProxy<ICalculator>();
            var failure = await Assert.ThrowsAsync<RpcException>(() => calculator.MultiplyAsync(2, 3).AsTask().WaitAsync(Timeout));
            Assert.Equal(RpcStatusCode.Unknown, failure.StatusCode);
            Assert.Equal(6L, await calculator.MultiplyAsync(2, 3).AsTask().WaitAsync(Timeout));
            Assert.Equal(1, activator.Disposed);
        }
    }

    private static async IAsyncEnumerable<Reading> Readings(int count)
    {
        for (int i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return new Reading(i, 20 + i);
        }
    }

    private static async IAsyncEnumerable<string> Lines(params string[] lines)
    {
        foreach (string line in lines)
        {
            await Task.Yield();
            yield return line;
        }
    }
}
