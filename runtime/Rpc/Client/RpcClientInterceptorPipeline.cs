using System.Collections.Generic;
using System.Threading.Tasks;

namespace Rpc.Client;

/// <summary>
/// The client's interceptors chained once per client: each continuation is a delegate made here, so a call adds no
/// closures. The first registered interceptor is the outermost; the end of the chain sends the call.
/// </summary>
internal sealed class RpcClientInterceptorPipeline
{
    private readonly RpcClientContinuation _entry;

    public RpcClientInterceptorPipeline(IList<IRpcClientInterceptor> interceptors)
    {
        RpcClientContinuation next = static context => context.SendAsync();
        for (int i = interceptors.Count - 1; i >= 0; i--)
        {
            IRpcClientInterceptor interceptor = interceptors[i] ?? throw new System.ArgumentException("RpcClientOptions.Interceptors holds a null entry.");
            RpcClientContinuation inner = next;
            next = context => interceptor.InterceptAsync(context, inner);
        }
        _entry = next;
    }

    public ValueTask RunAsync(RpcClientCallContext context) => _entry(context);
}
