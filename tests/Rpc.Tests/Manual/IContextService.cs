using System.Threading;
using System.Threading.Tasks;

namespace Rpc.Tests.Manual;

/// <summary>
/// Unary and one-way methods that use <see cref="RpcContext"/>: metadata, deadlines, failures with trailers.
/// Proxy and binder by hand (<see cref="ContextServiceProxy"/>, <see cref="ContextServiceBinder"/>).
/// </summary>
public interface IContextService
{
    /// <summary>The request header <paramref name="key"/> as a string (null when absent).</summary>
    ValueTask<string?> GetHeaderAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>The request header <paramref name="key"/> as bytes (null when absent).</summary>
    ValueTask<byte[]?> GetBinaryHeaderAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Sets the response header <c>served-by</c> and the trailers <c>cost</c> (string) and <c>digest</c> (bytes); returns "ok".</summary>
    ValueTask<string> AnnotateAsync(string servedBy, string cost, CancellationToken cancellationToken = default);

    /// <summary>Throws <see cref="RpcException"/> with <paramref name="statusCode"/>, <paramref name="message"/> and trailers <c>reason</c> and <c>code-bytes</c>.</summary>
    ValueTask FailWithTrailersAsync(int statusCode, string message, CancellationToken cancellationToken = default);

    /// <summary>The deadline the server sees, in UTC ticks; -1 without one.</summary>
    ValueTask<long> GetDeadlineAsync(CancellationToken cancellationToken = default);

    /// <summary>True when the handler runs with an <see cref="RpcContext"/>.</summary>
    ValueTask<bool> HasContextAsync();

    /// <summary>One-way: throws on the server; the client is never told.</summary>
    ValueTask FireAndFailAsync(string message);
}
