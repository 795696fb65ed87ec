using Rpc.LoadTest.Contenders.Peers;
using Rpc.LoadTest.Measurement;

namespace Rpc.LoadTest.Contenders;

/// <summary>
/// One system under test: how its server starts (in a child process, see <c>Hosting/ServerProcess.cs</c>) and how
/// the load process connects to it. Every contender serves the same payload on loopback.
/// </summary>
internal abstract class Contender
{
    /// <summary>The short name used on the command line: <c>serve NAME --port N</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The name in the report.</summary>
    public abstract string DisplayName { get; }

    /// <summary>
    /// What the contender uses, for the report: its server processes, connections, wire (HTTP or not) and
    /// serializer, so that a reader can judge fairness.
    /// </summary>
    public abstract string Uses { get; }

    /// <summary>How many server processes it runs, each serving on its own port (one for all but the cluster).</summary>
    public virtual int ServerProcesses => 1;

    /// <summary>Starts serving on 127.0.0.1:<paramref name="port"/>; disposing the result stops the server.</summary>
    public abstract Task<IAsyncDisposable> StartServerAsync(int port);

    /// <summary>Opens the one connection every caller of a run shares.</summary>
    public abstract Task<ILoadConnection> ConnectAsync(int port, CancellationToken cancellationToken);

    /// <summary>
    /// Opens the client every caller shares, given the ports of all <see cref="ServerProcesses"/> servers; a
    /// contender with one server connects to it.
    /// </summary>
    public virtual Task<ILoadConnection> ConnectAsync(IReadOnlyList<int> ports, CancellationToken cancellationToken) =>
        ConnectAsync(ports[0], cancellationToken);

    /// <summary>
    /// Every contender, in report order: ours, ours over TLS, ours spread over three servers (issue 18), the peers
    /// (issue 23) with grpc-dotnet over TLS beside grpc-dotnet (issue 19), and raw, the floor, last.
    /// </summary>
    public static IReadOnlyList<Contender> All { get; } =
    [
        new SdkContender(), new SdkContender(tls: true), new SdkClusterContender(), new HttpContender(), new GrpcDotnetContender(), new GrpcDotnetContender(tls: true),
        new ProtobufNetGrpcContender(), new StreamJsonRpcContender(), new OrleansContender(), new ThriftContender(), new RawContender(),
    ];

    public static Contender? Find(string name) => All.FirstOrDefault(c => c.Name == name);
}

/// <summary>One connection to a contender's server, shared by all callers of a workload.</summary>
internal interface ILoadConnection : IAsyncDisposable
{
    /// <summary>
    /// Runs one caller: unary calls one after another on the shared connection until <paramref name="caller"/>'s
    /// budget runs out. Implementations hand <see cref="CallLoop.RunAsync"/> a delegate made once per caller, so
    /// the loop itself allocates nothing per call.
    /// </summary>
    Task RunCallerAsync(CallerState caller);

    /// <summary>Null when the contender can stream; otherwise why not, for the report.</summary>
    string? StreamingUnavailableReason { get; }

    /// <summary>Asks the server for <paramref name="count"/> items and receives them all; returns how many arrived.</summary>
    ValueTask<long> StreamAsync(int count, CancellationToken cancellationToken);
}
