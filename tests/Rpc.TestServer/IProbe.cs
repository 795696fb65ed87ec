using Rpc;

namespace Rpc.TestServer;

/// <summary>A service whose handlers count their runs, for tests of reconnects, drains and retries.</summary>
[RpcService]
public interface IProbe
{
    /// <summary>The name the server was started with.</summary>
    ValueTask<string> WhoAsync(CancellationToken cancellationToken = default);

    /// <summary>An idempotent read: may be retried.</summary>
    [RpcIdempotent]
    ValueTask<int> ReadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>A write: never sent twice unless the server provably did not see it.</summary>
    ValueTask<int> WriteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Sleeps, then answers the milliseconds slept.</summary>
    ValueTask<int> SleepAsync(int milliseconds, CancellationToken cancellationToken = default);

    /// <summary>The server's name; a consistent-hash balancer routes the call on <paramref name="key"/>.</summary>
    [RpcIdempotent]
    ValueTask<string> OwnerAsync([RpcHashKey] int key, CancellationToken cancellationToken = default);

    /// <summary>Streams 0, 1, ... count - 1, one item every <paramref name="delayMilliseconds"/>.</summary>
    IAsyncEnumerable<int> CountAsync(int count, int delayMilliseconds, CancellationToken cancellationToken = default);

    /// <summary>An idempotent method that always fails with the given status.</summary>
    [RpcIdempotent]
    ValueTask<int> FailAsync(RpcStatusCode status, CancellationToken cancellationToken = default);

    /// <summary>The name the server was started with, as an idempotent read: a retry may send it elsewhere.</summary>
    [RpcIdempotent]
    ValueTask<string> NameAsync(CancellationToken cancellationToken = default);
}
