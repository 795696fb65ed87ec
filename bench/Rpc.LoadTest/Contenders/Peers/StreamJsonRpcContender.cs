using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Rpc.LoadTest.Contracts;
using Rpc.LoadTest.Contracts.Peers;
using Rpc.LoadTest.Measurement;
using StreamJsonRpc;

namespace Rpc.LoadTest.Contenders.Peers;

/// <summary>
/// StreamJsonRpc (Microsoft's JSON-RPC library, as Visual Studio uses it) with its MessagePack formatter: one TCP
/// connection (no HTTP), length-prefixed messages (<see cref="LengthHeaderMessageHandler"/>), many calls in flight
/// matched by request id, a proxy from <c>JsonRpc.Attach</c>. Streaming is an <see cref="IAsyncEnumerable{T}"/>
/// result, which StreamJsonRpc pulls in batches: the server asks for batches of 1,000 items with 1,000 read ahead
/// (the default, one item per round trip, would measure round trips, not streaming).
/// </summary>
internal sealed class StreamJsonRpcContender : Contender
{
    private const int StreamBatch = 1_000;

    public override string Name => "streamjsonrpc";

    public override string DisplayName => "StreamJsonRpc (MessagePack)";

    public override string Uses => "one server process; one TCP connection, calls multiplexed by id; no HTTP; JSON-RPC messages with a length header, MessagePack";

    public override Task<IAsyncDisposable> StartServerAsync(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        var server = new Server(listener);
        server.Start();
        return Task.FromResult<IAsyncDisposable>(server);
    }

    public override async Task<ILoadConnection> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
        var stream = new NetworkStream(socket, ownsSocket: true);
        var rpc = new JsonRpc(new LengthHeaderMessageHandler(stream, stream, new MessagePackFormatter()));
        IJsonRpcLoadService proxy = rpc.Attach<IJsonRpcLoadService>();
        rpc.StartListening();
        // Open the connection now, so that connecting is not part of the first phase.
        await proxy.EchoAsync(new JsonRpcEchoRequest { Id = 0, Text = Payload.Text }).WaitAsync(cancellationToken);
        return new Connection(rpc, proxy);
    }

    /// <summary>Accepts connections and serves each with its own <see cref="JsonRpc"/>.</summary>
    private sealed class Server(TcpListener listener) : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<JsonRpc> _connections = new();
        private Task _accepting = Task.CompletedTask;

        public void Start() => _accepting = AcceptAsync();

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    Socket socket = await listener.AcceptSocketAsync(_stop.Token);
                    socket.NoDelay = true;
                    var stream = new NetworkStream(socket, ownsSocket: true);
                    var rpc = new JsonRpc(new LengthHeaderMessageHandler(stream, stream, new MessagePackFormatter()));
                    rpc.AddLocalRpcTarget<IJsonRpcLoadService>(new Service(), null);
                    rpc.StartListening();
                    lock (_connections)
                    {
                        _connections.Add(rpc);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            listener.Stop();
            await _accepting;
            lock (_connections)
            {
                foreach (JsonRpc rpc in _connections)
                {
                    rpc.Dispose();
                }
            }
        }
    }

    /// <summary>The server side: builds the reply and the items synchronously, like <see cref="LoadService"/>.</summary>
    private sealed class Service : IJsonRpcLoadService
    {
        public Task<string> EchoAsync(JsonRpcEchoRequest request) => Task.FromResult(Payload.Reply(request.Text));

        public IAsyncEnumerable<JsonRpcStreamItem> StreamAsync(int count, CancellationToken cancellationToken = default) =>
            Items(count, cancellationToken).WithJsonRpcSettings(new JsonRpcEnumerableSettings { MinBatchSize = StreamBatch, MaxReadAhead = StreamBatch });

        private static async IAsyncEnumerable<JsonRpcStreamItem> Items(int count, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            for (int i = 0; i < count; i++)
            {
                yield return new JsonRpcStreamItem { Sequence = i, Value = i * 7L };
            }
            await Task.CompletedTask;
        }
    }

    private sealed class Connection : ILoadConnection
    {
        private readonly JsonRpc _rpc;
        private readonly IJsonRpcLoadService _proxy;
        private readonly Func<int, ValueTask<string>> _call;

        public Connection(JsonRpc rpc, IJsonRpcLoadService proxy)
        {
            _rpc = rpc;
            _proxy = proxy;
            _call = id => EchoAsync(proxy, id);
        }

        public string? StreamingUnavailableReason => null;

        public Task RunCallerAsync(CallerState caller) => CallLoop.RunAsync(_call, caller);

        private static async ValueTask<string> EchoAsync(IJsonRpcLoadService proxy, int id) =>
            await proxy.EchoAsync(new JsonRpcEchoRequest { Id = id, Text = Payload.Text }).ConfigureAwait(false);

        public async ValueTask<long> StreamAsync(int count, CancellationToken cancellationToken)
        {
            long received = 0;
            await foreach (JsonRpcStreamItem item in _proxy.StreamAsync(count, cancellationToken).ConfigureAwait(false))
            {
                if (item.Sequence != received)
                {
                    throw new InvalidDataException($"Stream item {item.Sequence} arrived where {received} was expected.");
                }
                received++;
            }
            return received;
        }

        public ValueTask DisposeAsync()
        {
            _rpc.Dispose();
            return default;
        }
    }
}
