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

    /// <summary>Starts serving on 127.0.0.1:<paramref name="port"/>; disposing the result stops the server.</summary>
    public abstract Task<IAsyncDisposable> StartServerAsync(int port);

    /// <summary>Opens the one connection every caller of a run shares.</summary>
    public abstract Task<ILoadConnection> ConnectAsync(int port, CancellationToken cancellationToken);

    /// <summary>
    /// Every contender, in report order: ours, ours over TLS, the peers (issue 23) with grpc-dotnet over TLS beside
    /// grpc-dotnet (issue 19), and raw, the floor, last.
    /// </summary>
    public static IReadOnlyList<Contender> All { get; } =
    [
        new SdkContender(), new SdkContender(tls: true), new HttpContender(), new GrpcDotnetContender(), new GrpcDotnetContender(tls: true),
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
