using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using ProtoBuf.Grpc;
using ProtoBuf.Grpc.Client;
using ProtoBuf.Grpc.Server;
using Rpc.LoadTest.Contracts;
using Rpc.LoadTest.Contracts.Peers;
using Rpc.LoadTest.Hosting;
using Rpc.LoadTest.Measurement;

namespace Rpc.LoadTest.Contenders.Peers;

/// <summary>
/// protobuf-net.Grpc, the closest peer in spirit: a code-first C# interface (<see cref="ICodeFirstLoadService"/>),
/// no .proto, served by grpc-dotnet's server on Kestrel over HTTP/2 cleartext (h2c) and called through a proxy over
/// a <see cref="GrpcChannel"/> on one HTTP/2 connection; protobuf-net serializes. Streaming is an
/// <see cref="IAsyncEnumerable{T}"/> method, carried as a gRPC server stream.
/// </summary>
internal sealed class ProtobufNetGrpcContender : Contender
{
    public override string Name => "pbn-grpc";

    public override string DisplayName => "protobuf-net.Grpc (h2c)";

    public override string Uses => "one server process; one HTTP/2 connection, cleartext (h2c); protobuf-net, code first";

    public override Task<IAsyncDisposable> StartServerAsync(int port) =>
        KestrelHost.StartAsync(port, tls: false, services => services.AddCodeFirstGrpc(), app => app.MapGrpcService<Service>());

    public override async Task<ILoadConnection> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        GrpcChannel channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}", new GrpcChannelOptions
        {
            HttpHandler = KestrelHost.OneConnectionHandler(tls: false),
        });
        ICodeFirstLoadService proxy = channel.CreateGrpcService<ICodeFirstLoadService>();
        // Open the connection now, so that connecting is not part of the first phase.
        await proxy.EchoAsync(new CodeFirstEchoRequest { Id = 0, Text = Payload.Text }, new CallContext(new Grpc.Core.CallOptions(cancellationToken: cancellationToken)));
        return new Connection(channel, proxy);
    }

    /// <summary>The server side: builds the reply and the items synchronously, like <see cref="LoadService"/>.</summary>
    private sealed class Service : ICodeFirstLoadService
    {
        public ValueTask<CodeFirstEchoReply> EchoAsync(CodeFirstEchoRequest request, CallContext context = default) =>
            new(new CodeFirstEchoReply { Text = Payload.Reply(request.Text) });

        public async IAsyncEnumerable<CodeFirstStreamItem> StreamAsync(CodeFirstStreamRequest request, CallContext context = default)
        {
            for (int i = 0; i < request.Count; i++)
            {
                yield return new CodeFirstStreamItem { Sequence = i, Value = i * 7L };
            }
            await Task.CompletedTask;
        }
    }

    private sealed class Connection : ILoadConnection
    {
        private readonly GrpcChannel _channel;
        private readonly ICodeFirstLoadService _proxy;
        private readonly Func<int, ValueTask<string>> _call;

        public Connection(GrpcChannel channel, ICodeFirstLoadService proxy)
        {
            _channel = channel;
            _proxy = proxy;
            _call = id => EchoAsync(proxy, id);
        }

        public string? StreamingUnavailableReason => null;

        public Task RunCallerAsync(CallerState caller) => CallLoop.RunAsync(_call, caller);

        private static async ValueTask<string> EchoAsync(ICodeFirstLoadService proxy, int id)
        {
            CodeFirstEchoReply reply = await proxy.EchoAsync(new CodeFirstEchoRequest { Id = id, Text = Payload.Text }).ConfigureAwait(false);
            return reply.Text;
        }

        public async ValueTask<long> StreamAsync(int count, CancellationToken cancellationToken)
        {
            long received = 0;
            var context = new CallContext(new Grpc.Core.CallOptions(cancellationToken: cancellationToken));
            await foreach (CodeFirstStreamItem item in _proxy.StreamAsync(new CodeFirstStreamRequest { Count = count }, context).ConfigureAwait(false))
            {
                if (item.Sequence != received)
                {
                    throw new InvalidDataException($"Stream item {item.Sequence} arrived where {received} was expected.");
                }
                received++;
            }
            return received;
        }

        public async ValueTask DisposeAsync()
        {
            await _channel.ShutdownAsync();
            _channel.Dispose();
        }
    }
}
