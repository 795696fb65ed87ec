using BenchmarkDotNet.Attributes;
using Rpc.Transport;

namespace Rpc.Benchmarks;

/// <summary>
/// A unary call through the whole SDK (proxy, serializer, frames, connection loops, dispatcher, service) over the
/// in-memory transport, so there is no socket: what is left is the SDK's own cost. The load test's payload: a
/// request of an int and a 32-char string, a 40-char reply. 1, 64 or 256 calls are started together and awaited;
/// the figures are per call.
/// </summary>
/// <remarks>
/// The memory diagnoser counts the whole process: client and server. The user's own objects per call are the
/// request (32 B) and the reply string (104 B) on the client, and the request, its text (88 B) and the reply
/// (104 B) on the server: 360 B. Everything beyond that is the SDK's.
/// </remarks>
[MemoryDiagnoser]
public class InMemoryRoundTripBenchmarks
{
    private const string Text = "0123456789abcdefghijklmnopqrstuv";

    private RpcServer _server = null!;
    private RpcClient _client = null!;
    private IBenchEcho _proxy = null!;
    private ValueTask<string>[] _pending = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = new RpcServer();
        _server.AddService<IBenchEcho>(new BenchEcho());
        var endPoint = new InMemoryEndPoint("round-trip-" + Guid.NewGuid().ToString("N"));
        await _server.ListenAsync(endPoint);
        _client = await RpcClient.ConnectAsync(endPoint);
        _proxy = _client.CreateProxy<IBenchEcho>();
        _pending = new ValueTask<string>[256];
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    // The proxy's own ValueTask, awaited by BenchmarkDotNet without an extra state machine: only the SDK allocates.
    [Benchmark(Description = "1 call at a time")]
    public ValueTask<string> OneAtATime() => _proxy.EchoAsync(new BenchEchoRequest(1, Text));

    [Benchmark(Description = "64 calls in flight", OperationsPerInvoke = 64)]
    public Task<int> SixtyFourInFlight() => CallAsync(64);

    [Benchmark(Description = "256 calls in flight", OperationsPerInvoke = 256)]
    public Task<int> TwoHundredFiftySixInFlight() => CallAsync(256);

    private async Task<int> CallAsync(int count)
    {
        ValueTask<string>[] pending = _pending;
        for (int i = 0; i < count; i++)
        {
            pending[i] = _proxy.EchoAsync(new BenchEchoRequest(i, Text));
        }
        int length = 0;
        for (int i = 0; i < count; i++)
        {
            length += (await pending[i]).Length;
        }
        return length;
    }
}

/// <summary>The benchmark's service: the load test's contract.</summary>
[RpcService]
public interface IBenchEcho
{
    ValueTask<string> EchoAsync(BenchEchoRequest request);
}

/// <summary>An id and a 32-char string.</summary>
public sealed record BenchEchoRequest(int Id, string Text);

internal sealed class BenchEcho : IBenchEcho
{
    public ValueTask<string> EchoAsync(BenchEchoRequest request) => new(string.Concat("answer: ", request.Text));
}
