using System;

namespace Rpc.Hosting;

/// <summary>A server interceptor that comes from dependency injection: resolved once, when the server starts.</summary>
internal sealed class RpcInterceptorRegistration
{
    public RpcInterceptorRegistration(Func<IServiceProvider, IRpcServerInterceptor> resolve) => Resolve = resolve;

    public Func<IServiceProvider, IRpcServerInterceptor> Resolve { get; }
}
