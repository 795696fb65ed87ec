using System.Threading.Tasks;

namespace Rpc;

/// <summary>
/// A client interceptor around sending. Interceptors in <see cref="RpcClientOptions.Interceptors"/> run in order,
/// the first registered outermost, around every call (unary, one-way and streaming). An interceptor can read and
/// change the request (<see cref="RpcClientCallContext.RequestHeaders"/>, <see cref="RpcClientCallContext.Deadline"/>)
/// before calling <c>next</c>, short-circuit by throwing (or by not calling <c>next</c>: nothing is sent), and
/// observe the outcome: <c>next</c> completes when the call completes (for a streaming call, when the stream ends).
/// </summary>
public interface IRpcClientInterceptor
{
    /// <summary>Handles one call; <paramref name="next"/> runs the rest of the chain and then sends the call.</summary>
    ValueTask InterceptAsync(RpcClientCallContext context, RpcClientContinuation next);
}

/// <summary>The rest of a client interceptor chain; call it at most once.</summary>
public delegate ValueTask RpcClientContinuation(RpcClientCallContext context);
