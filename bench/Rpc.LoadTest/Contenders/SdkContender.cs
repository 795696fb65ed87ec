using System.Net;
using System.Net.Security;
using Rpc.LoadTest.Contracts;
using Rpc.LoadTest.Hosting;
using Rpc.LoadTest.Measurement;

namespace Rpc.LoadTest.Contenders;

/// <summary>
/// Our SDK over TCP: a generated proxy and dispatcher for <see cref="ILoadService"/>. With <paramref name="tls"/>,
/// over TLS (<see cref="RpcServerOptions.Tls"/>, <see cref="RpcClientOptions.Tls"/>) with a self-signed certificate
/// the server makes when it starts (issue 19: what TLS costs).
/// </summary>
internal sealed class SdkContender(bool tls = false) : Contender
{
    public override string Name => tls ? "sdk-tls" : "sdk";

    public override string DisplayName => tls ? "Rpc SDK (TCP, TLS)" : "Rpc SDK (TCP)";

    public override string Uses => tls
        ? "one server process; one TCP connection over TLS, calls multiplexed by id; our frames, no HTTP; the generated MemoryPack-format serializers"
        : "one server process; one TCP connection, calls multiplexed by id; our frames, no HTTP; the generated MemoryPack-format serializers";

    public override async Task<IAsyncDisposable> StartServerAsync(int port)
    {
        var server = new RpcServer(tls ? new RpcServerOptions { Tls = new SslServerAuthenticationOptions { ServerCertificate = SelfSignedCertificate.Create() } } : null);
        server.AddService<ILoadService>(new LoadService());
        await server.ListenAsync(new IPEndPoint(IPAddress.Loopback, port));
        return server;
    }

    public override async Task<ILoadConnection> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        RpcClientOptions? options = tls
            ? new RpcClientOptions { Tls = new SslClientAuthenticationOptions { TargetHost = "localhost", RemoteCertificateValidationCallback = SelfSignedCertificate.AcceptAny } }
            : null;
        RpcClient client = await RpcClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), options, cancellationToken);
        return new Connection(client);
    }

    /// <summary>One client's proxy, used by every caller; also the cluster contender's, over its balanced client.</summary>
    internal sealed class Connection : ILoadConnection
    {
        private readonly RpcClient _client;
        private readonly Func<int, ValueTask<string>> _call;
        private readonly ILoadService _proxy;

        public Connection(RpcClient client)
        {
            _client = client;
            // One proxy for every caller, as an application would share it. A new request object per call.
            ILoadService proxy = client.CreateProxy<ILoadService>();
            _proxy = proxy;
            _call = id => proxy.EchoAsync(new EchoRequest(id, Payload.Text));
        }

        public string? StreamingUnavailableReason => null;

        public Task RunCallerAsync(CallerState caller) => CallLoop.RunAsync(_call, caller);

        public async ValueTask<long> StreamAsync(int count, CancellationToken cancellationToken)
        {
            long received = 0;
            await foreach (StreamItem item in _proxy.StreamAsync(count, cancellationToken).ConfigureAwait(false))
            {
                if (item.Sequence != received)
                {
                    throw new InvalidDataException($"Stream item {item.Sequence} arrived where {received} was expected.");
                }
                received++;
            }
            return received;
        }

        public ValueTask DisposeAsync() => _client.DisposeAsync();
    }
}
