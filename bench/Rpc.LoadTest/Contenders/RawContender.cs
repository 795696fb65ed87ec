using Rpc.LoadTest.Contenders.Raw;
using Rpc.LoadTest.Measurement;

namespace Rpc.LoadTest.Contenders;

/// <summary>
/// The floor: a length-prefixed echo over one TCP socket with System.IO.Pipelines and request ids, with no
/// serializer, no dispatch and no per-call objects (see <c>Raw/</c>).
/// </summary>
internal sealed class RawContender : Contender
{
    public override string Name => "raw";

    public override string DisplayName => "raw socket (Pipelines)";

    public override string Uses => "one server process; one TCP connection, calls multiplexed by id; no HTTP, no serializer (length-prefixed bytes)";

    public override Task<IAsyncDisposable> StartServerAsync(int port) => Task.FromResult<IAsyncDisposable>(new RawServer(port));

    public override async Task<ILoadConnection> ConnectAsync(int port, CancellationToken cancellationToken) =>
        new Connection(await RawClient.ConnectAsync(port, cancellationToken));

    private sealed class Connection(RawClient client) : ILoadConnection
    {
        public string? StreamingUnavailableReason => null;

        public Task RunCallerAsync(CallerState caller) => CallLoop.RunAsync(client.CreateSlot().CallAsync, caller);

        public ValueTask<long> StreamAsync(int count, CancellationToken cancellationToken) => client.StreamAsync(count, cancellationToken);

        public ValueTask DisposeAsync() => client.DisposeAsync();
    }
}
