using System;

namespace Rpc.Server;

/// <summary>
/// Makes the instance of <typeparamref name="TService"/> that serves one call, for services added with
/// <see cref="RpcServer.AddService{TService}(IRpcServiceActivator{TService})"/>: a dependency-injection scope per
/// call, a pool, a fresh object. A service added as an instance (<see cref="RpcServer.AddService{TService}(TService)"/>)
/// serves every call itself and costs no activation.
/// </summary>
/// <remarks>
/// <see cref="Activate"/> runs just before the handler reads its arguments (inside the server's interceptors, if
/// any), on the thread that runs the handler; it should not block. What it returns in <c>lifetime</c> is disposed once the call's handler has finished (for a streaming
/// call, once its response stream has been written or the call has ended), before the call's final frame is sent,
/// whether the handler succeeded or threw. An exception from <see cref="Activate"/> or from that disposal fails the
/// call as a handler's exception does.
/// </remarks>
public interface IRpcServiceActivator<TService> where TService : class
{
    /// <summary>Creates the instance that serves one call.</summary>
    /// <param name="lifetime">What to dispose when the call ends (the scope the instance came from), or null for nothing.</param>
    TService Activate(out IAsyncDisposable? lifetime);
}
