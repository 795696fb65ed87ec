using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Rpc.LoadTest.Contracts;
using Rpc.LoadTest.Contracts.Thrift;
using Rpc.LoadTest.Measurement;
using Thrift;
using Thrift.Processor;
using Thrift.Protocol;
using Thrift.Server;
using Thrift.Transport;
using Thrift.Transport.Client;
using Thrift.Transport.Server;

namespace Rpc.LoadTest.Contenders.Peers;

/// <summary>
/// Apache Thrift: the code Debian's thrift-compiler generates from <c>Contracts/Peers/load.thrift</c> (committed), the
/// binary protocol over the framed transport on plain TCP, served by <see cref="TThreadPoolAsyncServer"/>. A Thrift
/// client carries one call at a time on its connection (no request ids, no multiplexing), so callers take clients from
/// a pool, as Thrift's users do: the pool opens a connection whenever every open one is busy, so it ends with one
/// connection per concurrent caller (1, 64 or 256). Thrift has no server streaming.
/// </summary>
internal sealed class ThriftContender : Contender
{
    public override string Name => "thrift";

    public override string DisplayName => "Apache Thrift (pool)";

    public override string Uses => "one server process; a pool of TCP connections, one per concurrent caller (a Thrift client carries one call at a time); no HTTP; binary protocol, framed transport";

    public override Task<IAsyncDisposable> StartServerAsync(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        // Accepted sockets inherit it: a framed reply goes out at once.
        listener.Server.NoDelay = true;
        var transport = new TServerSocketTransport(listener, new TConfiguration());
        var server = new TThreadPoolAsyncServer(
            new ThriftLoadService.AsyncProcessor(new Service()), transport, new TFramedTransport.Factory(), new TBinaryProtocol.Factory());
        var stop = new CancellationTokenSource();
        // ServeAsync listens before its first await: the port is open when it returns.
        Task serving = server.ServeAsync(stop.Token);
        return Task.FromResult<IAsyncDisposable>(new Serving(server, stop, serving));
    }

    private sealed class Serving(TThreadPoolAsyncServer server, CancellationTokenSource stop, Task serving) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            stop.Cancel();
            server.Stop();
            await Task.WhenAny(serving, Task.Delay(TimeSpan.FromSeconds(2)));
        }
    }

    public override async Task<ILoadConnection> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var pool = new ClientPool(port);
        // Open the first connection now, so that connecting is not part of the first phase.
        ThriftLoadService.Client client = await pool.RentAsync(cancellationToken);
        await client.echo(new ThriftEchoRequest { Id = 0, Text = Payload.Text }, cancellationToken);
        pool.Return(client);
        return new Connection(pool);
    }

    /// <summary>The server side: builds the reply synchronously, like <see cref="LoadService"/>.</summary>
    private sealed class Service : ThriftLoadService.IAsync
    {
        public Task<string> echo(ThriftEchoRequest request, CancellationToken cancellationToken = default) =>
            Task.FromResult(Payload.Reply(request.Text));
    }

    /// <summary>Idle clients, each with its own connection; a new one is opened when none is idle.</summary>
    private sealed class ClientPool(int port) : IAsyncDisposable
    {
        private readonly ConcurrentBag<ThriftLoadService.Client> _idle = new();
        private readonly ConcurrentBag<ThriftLoadService.Client> _all = new();

        public int Connections => _all.Count;

        public async ValueTask<ThriftLoadService.Client> RentAsync(CancellationToken cancellationToken)
        {
            if (_idle.TryTake(out ThriftLoadService.Client? client))
            {
                return client;
            }
            var socket = new TSocketTransport(IPAddress.Loopback, port, new TConfiguration());
            var protocol = new TBinaryProtocol(new TFramedTransport(socket));
            client = new ThriftLoadService.Client(protocol);
            await client.OpenTransportAsync(cancellationToken);
            _all.Add(client);
            return client;
        }

        public void Return(ThriftLoadService.Client client) => _idle.Add(client);

        public ValueTask DisposeAsync()
        {
            foreach (ThriftLoadService.Client client in _all)
            {
                client.Dispose();
            }
            return default;
        }
    }

    private sealed class Connection : ILoadConnection
    {
        private readonly ClientPool _pool;
        private readonly Func<int, ValueTask<string>> _call;

        public Connection(ClientPool pool)
        {
            _pool = pool;
            _call = id => EchoAsync(pool, id);
        }

        public string? StreamingUnavailableReason => "Thrift has no server streaming";

        public Task RunCallerAsync(CallerState caller) => CallLoop.RunAsync(_call, caller);

        // A client that failed mid-call is not returned: its connection's state is unknown.
        private static async ValueTask<string> EchoAsync(ClientPool pool, int id)
        {
            ThriftLoadService.Client client = await pool.RentAsync(CancellationToken.None).ConfigureAwait(false);
            string reply = await client.echo(new ThriftEchoRequest { Id = id, Text = Payload.Text }).ConfigureAwait(false);
            pool.Return(client);
            return reply;
        }

        public ValueTask<long> StreamAsync(int count, CancellationToken cancellationToken) =>
            throw new NotSupportedException("Thrift has no server streaming.");

        public ValueTask DisposeAsync() => _pool.DisposeAsync();
    }
}
