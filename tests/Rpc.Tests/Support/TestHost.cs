using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Server;
using Rpc.Tests.Manual;
using Rpc.Transport;
using Xunit;

namespace Rpc.Tests.Support;

public enum TransportKind
{
    Tcp,
    Unix,
    InMemory,
}

/// <summary>A server with the calculator service on one transport, and clients for it.</summary>
internal sealed class TestHost : IAsyncDisposable
{
    /// <summary>How long any one wait in a test may take before the test fails instead of hanging.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static int s_counter;

    private TestHost(RpcServer server, EndPoint endPoint, CalculatorService service, StreamingService streaming, ContextService contextual)
    {
        Server = server;
        EndPoint = endPoint;
        Service = service;
        Streaming = streaming;
        Contextual = contextual;
    }

    public RpcServer Server { get; }

    public EndPoint EndPoint { get; }

    public CalculatorService Service { get; }

    public StreamingService Streaming { get; }

    public ContextService Contextual { get; }

    public static TheoryData<TransportKind> AllTransports => new() { TransportKind.Tcp, TransportKind.Unix, TransportKind.InMemory };

    public static TheoryData<TransportKind> SocketTransports => new() { TransportKind.Tcp, TransportKind.Unix };

    public static async Task<TestHost> StartAsync(TransportKind kind, RpcServerOptions? options = null)
    {
        var server = new RpcServer(options);
        var service = new CalculatorService();
        var streaming = new StreamingService();
        var contextual = new ContextService();
        server.AddService<ICalculatorService>(service);
        server.AddService<IStreamingService>(streaming);
        server.AddService<IContextService>(contextual);
        EndPoint bound = await server.ListenAsync(CreateEndPoint(kind)).WaitAsync(Timeout);
        return new TestHost(server, bound, service, streaming, contextual);
    }

    public static EndPoint CreateEndPoint(TransportKind kind) => kind switch
    {
        TransportKind.Tcp => new IPEndPoint(IPAddress.Loopback, 0),
        TransportKind.Unix => new UnixDomainSocketEndPoint(Path.Combine(Path.GetTempPath(), $"rpc-test-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}.sock")),
        _ => new InMemoryEndPoint($"test-{Guid.NewGuid():N}"),
    };

    public async Task<RpcClient> ConnectAsync(RpcClientOptions? options = null) =>
        await RpcClient.ConnectAsync(EndPoint, options).WaitAsync(Timeout);

    public async Task<(RpcClient Client, ICalculatorService Proxy)> ConnectProxyAsync(RpcClientOptions? options = null)
    {
        RpcClient client = await ConnectAsync(options);
        return (client, client.CreateProxy<ICalculatorService>());
    }

    /// <summary>
    /// The server's one connection. A client counts as connected once the server wrote its preface, a moment before
    /// the server lists the connection, so this waits for it.
    /// </summary>
    public async Task<RpcServerConnection> SingleServerConnectionAsync()
    {
        await StreamingTests.WaitUntilAsync(() => Server.Connections.Length == 1);
        return Server.Connections.Single();
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync().AsTask().WaitAsync(Timeout);
}
