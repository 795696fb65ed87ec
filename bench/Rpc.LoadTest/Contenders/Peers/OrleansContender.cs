using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Concurrency;
using Orleans.Hosting;
using Rpc.LoadTest.Contracts;
using Rpc.LoadTest.Contracts.Peers;
using Rpc.LoadTest.Hosting;
using Rpc.LoadTest.Measurement;

namespace Rpc.LoadTest.Contenders.Peers;

/// <summary>
/// Orleans: a one-silo cluster on loopback (localhost clustering, the silo's gateway on the contender's port) with
/// a stateless worker grain (<see cref="IOrleansLoadGrain"/>), called from an Orleans client in the load process
/// through a grain reference; Orleans' own TCP protocol (no HTTP) on the client's one gateway connection, Orleans'
/// generated serializers. Streaming is an <see cref="IAsyncEnumerable{T}"/> method of an ordinary grain
/// (<see cref="IOrleansStreamGrain"/>), which Orleans carries in batches of 100 items (its default).
/// </summary>
internal sealed class OrleansContender : Contender
{
    public override string Name => "orleans";

    public override string DisplayName => "Orleans (stateless worker)";

    public override string Uses => "a one-silo cluster in one server process; the Orleans client's one gateway connection; Orleans' own TCP protocol, no HTTP; Orleans' generated serializers";

    public override async Task<IAsyncDisposable> StartServerAsync(int port)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        // The silo-to-silo port is unused with one silo, but must be free.
        int siloPort = ServerProcess.FindFreeLoopbackPort();
        builder.UseOrleans(silo => silo.UseLocalhostClustering(siloPort, port));
        IHost host = builder.Build();
        await host.StartAsync();
        return new StoppingHost(host);
    }

    public override async Task<ILoadConnection> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client => client.UseLocalhostClustering(port));
        IHost host = builder.Build();
        await host.StartAsync(cancellationToken);
        IOrleansLoadGrain grain = host.Services.GetRequiredService<IClusterClient>().GetGrain<IOrleansLoadGrain>(0);
        // Activate the grain now, so that it is not part of the first phase.
        await grain.EchoAsync(new OrleansEchoRequest { Id = 0, Text = Payload.Text }).AsTask().WaitAsync(cancellationToken);
        IOrleansStreamGrain streamGrain = host.Services.GetRequiredService<IClusterClient>().GetGrain<IOrleansStreamGrain>(0);
        return new Connection(host, grain, streamGrain);
    }

    private sealed class StoppingHost(IHost host) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await host.StopAsync(stopping.Token);
            }
            catch (OperationCanceledException)
            {
                // Stopped anyway when the process exits.
            }
            host.Dispose();
        }
    }

    private sealed class Connection : ILoadConnection
    {
        private readonly IHost _host;
        private readonly IOrleansStreamGrain _streamGrain;
        private readonly Func<int, ValueTask<string>> _call;

        public Connection(IHost host, IOrleansLoadGrain grain, IOrleansStreamGrain streamGrain)
        {
            _host = host;
            _streamGrain = streamGrain;
            _call = id => grain.EchoAsync(new OrleansEchoRequest { Id = id, Text = Payload.Text });
        }

        public string? StreamingUnavailableReason => null;

        public Task RunCallerAsync(CallerState caller) => CallLoop.RunAsync(_call, caller);

        public async ValueTask<long> StreamAsync(int count, CancellationToken cancellationToken)
        {
            long received = 0;
            await foreach (OrleansStreamItem item in _streamGrain.StreamAsync(count).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (item.Sequence != received)
                {
                    throw new InvalidDataException($"Stream item {item.Sequence} arrived where {received} was expected.");
                }
                received++;
            }
            return received;
        }

        public ValueTask DisposeAsync() => new StoppingHost(_host).DisposeAsync();
    }
}

/// <summary>The unary grain: builds the reply synchronously, like <see cref="LoadService"/>.</summary>
[StatelessWorker]
internal sealed class OrleansLoadGrain : Grain, IOrleansLoadGrain
{
    public ValueTask<string> EchoAsync(OrleansEchoRequest request) => new(Payload.Reply(request.Text));
}

/// <summary>The streaming grain: one activation, so every batch of an enumeration finds its enumerator.</summary>
internal sealed class OrleansStreamGrain : Grain, IOrleansStreamGrain
{
    public async IAsyncEnumerable<OrleansStreamItem> StreamAsync(int count)
    {
        for (int i = 0; i < count; i++)
        {
            yield return new OrleansStreamItem { Sequence = i, Value = i * 7L };
        }
        await Task.CompletedTask;
    }
}
