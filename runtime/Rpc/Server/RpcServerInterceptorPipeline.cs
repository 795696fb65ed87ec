using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace Rpc.Server;

/// <summary>
/// The server's interceptors chained once per server: each continuation is a delegate made here, so a call adds no
/// closures. The first registered interceptor is the outermost; the end of the chain runs the handler.
/// </summary>
internal sealed class RpcServerInterceptorPipeline
{
    private readonly RpcServerContinuation _entry;

    public RpcServerInterceptorPipeline(IList<IRpcServerInterceptor> interceptors)
    {
        RpcServerContinuation next = static context => context.RunHandlerAsync();
        for (int i = interceptors.Count - 1; i >= 0; i--)
        {
            IRpcServerInterceptor interceptor = interceptors[i] ?? throw new ArgumentException("RpcServerOptions.Interceptors holds a null entry.");
            RpcServerContinuation inner = next;
            next = context => interceptor.InterceptAsync(context, inner);
        }
        _entry = next;
    }

    public ValueTask RunAsync(RpcContext context) => _entry(context);
}
