using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Rpc.Tests.Manual;

/// <summary>
/// The streaming test service: one method per stream shape. Like <see cref="ICalculatorService"/>, its proxy and
/// binder are written by hand (<see cref="StreamingServiceProxy"/>, <see cref="StreamingServiceBinder"/>) exactly
/// as the generator emits them.
/// </summary>
public interface IStreamingService
{
    /// <summary>Server streaming: <paramref name="count"/> numbers from <paramref name="from"/>.</summary>
    IAsyncEnumerable<int> CountAsync(int from, int count, CancellationToken cancellationToken = default);

    /// <summary>Server streaming: <paramref name="count"/> blobs of <paramref name="size"/> bytes, as fast as flow control allows.</summary>
    IAsyncEnumerable<byte[]> ProduceAsync(int count, int size, CancellationToken cancellationToken = default);

    /// <summary>Server streaming that only ends when cancelled.</summary>
    IAsyncEnumerable<int> ForeverAsync(CancellationToken cancellationToken = default);

    /// <summary>Server streaming: <paramref name="items"/> numbers, then an <see cref="RpcException"/> with <paramref name="statusCode"/>.</summary>
    IAsyncEnumerable<int> FailAfterAsync(int items, int statusCode, string message, CancellationToken cancellationToken = default);

    /// <summary>Client streaming with a result.</summary>
    Task<long> SumAsync(IAsyncEnumerable<int> values, CancellationToken cancellationToken = default);

    /// <summary>Client streaming without a result, with an ordinary argument too.</summary>
    ValueTask UploadAsync(string name, IAsyncEnumerable<byte[]> chunks, CancellationToken cancellationToken = default);

    /// <summary>Duplex: each value plus <paramref name="offset"/>, as the values arrive.</summary>
    IAsyncEnumerable<int> AddEachAsync(int offset, IAsyncEnumerable<int> values, CancellationToken cancellationToken = default);
}
