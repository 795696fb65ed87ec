using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Rpc.LoadTest.Contracts;
using Rpc.LoadTest.Contracts.Proto;
using Rpc.LoadTest.Hosting;
using Rpc.LoadTest.Measurement;

namespace Rpc.LoadTest.Contenders.Peers;

/// <summary>
/// grpc-dotnet, as its users write it: a service generated from <c>Contracts/Peers/load.proto</c> by Grpc.Tools,
/// hosted on Kestrel over HTTP/2 (cleartext h2c, or TLS with <paramref name="tls"/>), called through a
/// <see cref="GrpcChannel"/> on one HTTP/2 connection; Protocol Buffers (Google.Protobuf) on the wire. Server
/// streaming is gRPC's own (<see cref="IServerStreamWriter{T}"/>).
/// </summary>
internal sealed class GrpcDotnetContender(bool tls = false) : Contender
{
    public override string Name => tls ? "grpc-tls" : "grpc";

    public override string DisplayName => tls ? "grpc-dotnet (TLS)" : "grpc-dotnet (h2c)";

    public override string Uses => tls
        ? "one server process; one HTTP/2 connection over TLS (ALPN h2); Protocol Buffers (Google.Protobuf)"
        : "one server process; one HTTP/2 connection, cleartext (h2c); Protocol Buffers (Google.Protobuf)";

    public override Task<IAsyncDisposable> StartServerAsync(int port) =>
        KestrelHost.StartAsync(port, tls, services => services.AddGrpc(), app => app.MapGrpcService<Service>());

    public override async Task<ILoadConnection> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        GrpcChannel channel = GrpcChannel.ForAddress($"{(tls ? "https" : "http")}://127.0.0.1:{port}", new GrpcChannelOptions
        {
            HttpHandler = KestrelHost.OneConnectionHandler(tls),
        });
        var client = new LoadProto.LoadProtoClient(channel);
        // Open the connection now, so that connecting is not part of the first phase.
        await client.EchoAsync(new ProtoEchoRequest { Id = 0, Text = Payload.Text }, cancellationToken: cancellationToken);
        return new Connection(channel, client);
    }

    /// <summary>The server side: builds the reply and the items synchronously, like <see cref="LoadService"/>.</summary>
    private sealed class Service : LoadProto.LoadProtoBase
    {
        public override Task<ProtoEchoReply> Echo(ProtoEchoRequest request, ServerCallContext context) =>
            Task.FromResult(new ProtoEchoReply { Text = Payload.Reply(request.Text) });

        public override async Task Stream(ProtoStreamRequest request, IServerStreamWriter<ProtoStreamItem> responseStream, ServerCallContext context)
        {
            for (int i = 0; i < request.Count; i++)
            {
                await responseStream.WriteAsync(new ProtoStreamItem { Sequence = i, Value = i * 7L });
            }
        }
    }

    private sealed class Connection : ILoadConnection
    {
        private readonly GrpcChannel _channel;
        private readonly LoadProto.LoadProtoClient _client;
        private readonly Func<int, ValueTask<string>> _call;

        public Connection(GrpcChannel channel, LoadProto.LoadProtoClient client)
        {
            _channel = channel;
            _client = client;
            _call = id => EchoAsync(client, id);
        }

        public string? StreamingUnavailableReason => null;

        public Task RunCallerAsync(CallerState caller) => CallLoop.RunAsync(_call, caller);

        private static async ValueTask<string> EchoAsync(LoadProto.LoadProtoClient client, int id)
        {
            ProtoEchoReply reply = await client.EchoAsync(new ProtoEchoRequest { Id = id, Text = Payload.Text }).ConfigureAwait(false);
            return reply.Text;
        }

        public async ValueTask<long> StreamAsync(int count, CancellationToken cancellationToken)
        {
            using AsyncServerStreamingCall<ProtoStreamItem> call = _client.Stream(new ProtoStreamRequest { Count = count }, cancellationToken: cancellationToken);
            long received = 0;
            await foreach (ProtoStreamItem item in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
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
