using System;
using System.Threading;
using System.Threading.Tasks;

namespace Rpc.Tests.Manual;

/// <summary>The context test implementation.</summary>
internal sealed class ContextService : IContextService
{
    public ValueTask<string?> GetHeaderAsync(string key, CancellationToken cancellationToken = default) =>
        new(RpcContext.Current?.RequestHeaders.GetString(key));

    public ValueTask<byte[]?> GetBinaryHeaderAsync(string key, CancellationToken cancellationToken = default) =>
        new(RpcContext.Current?.RequestHeaders.GetBytes(key));

    public async ValueTask<string> AnnotateAsync(string servedBy, string cost, CancellationToken cancellationToken = default)
    {
        RpcContext context = RpcContext.Current ?? throw new InvalidOperationException("No RpcContext.");
        context.ResponseHeaders.Add("served-by", servedBy);
        await Task.Yield();
        // The ambient context flows across awaits.
        RpcContext.Current!.ResponseTrailers.Add("cost", cost);
        context.ResponseTrailers.Add("digest", new byte[] { 1, 2, 3 });
        return "ok";
    }

    public async ValueTask FailWithTrailersAsync(int statusCode, string message, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        var trailers = new RpcMetadata { { "reason", message }, { "code-bytes", new[] { (byte)statusCode } } };
        throw new RpcException((RpcStatusCode)statusCode, message, trailers);
    }

    public ValueTask<long> GetDeadlineAsync(CancellationToken cancellationToken = default) =>
        new(RpcContext.Current?.Deadline?.UtcTicks ?? -1);

    // True when the ambient context is this call's own (made up front, or on demand by this very read).
    public ValueTask<bool> HasContextAsync() => new(RpcContext.Current is { Method.MethodName: "HasContextAsync" });

    public ValueTask FireAndFailAsync(string message) => throw new InvalidOperationException(message);
}
