using Rpc;

namespace Rpc.Hosting.Tests;

[RpcService]
public interface ITestGreeter
{
    /// <summary>Says hello and tells which scope (probe) served the call.</summary>
    ValueTask<Greeting> HelloAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Waits <paramref name="milliseconds"/>, ignoring cancellation, then returns it: a call that is in flight for a while.</summary>
    ValueTask<int> SlowAsync(int milliseconds);

    /// <summary>Streams one item, waits for the test to open <see cref="ProbeLog.StreamGate"/>, then streams a second and ends.</summary>
    IAsyncEnumerable<Greeting> StreamUntilReleasedAsync(CancellationToken cancellationToken = default);
}

[RpcService]
public interface ITestCounter
{
    ValueTask<int> NextAsync(CancellationToken cancellationToken = default);
}

public record Greeting(string Message, int ProbeId, int ServiceId);
