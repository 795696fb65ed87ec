using System.Threading.Tasks;

namespace Rpc;

/// <summary>
/// A server filter around dispatch. Interceptors in <see cref="RpcServerOptions.Interceptors"/> run in order, the
/// first registered outermost, around every call (unary, one-way and streaming). An interceptor can read the
/// context (<see cref="RpcContext.Method"/>, metadata, deadline, peer), short-circuit by throwing an
/// <see cref="RpcException"/> (or by not calling <c>next</c>), observe the result (<see cref="RpcContext.Result"/>)
/// or the exception, and time the call: for streaming calls <c>next</c> completes when the call does.
/// </summary>
public interface IRpcServerInterceptor
{
    /// <summary>Handles one call; <paramref name="next"/> runs the rest of the chain and then the handler.</summary>
    ValueTask InterceptAsync(RpcContext context, RpcServerContinuation next);
}

/// <summary>The rest of a server interceptor chain; call it at most once.</summary>
public delegate ValueTask RpcServerContinuation(RpcContext context);
