using System;
using Microsoft.Extensions.DependencyInjection;
using Rpc.Server;

namespace Rpc.Hosting;

/// <summary>
/// Serves each call with an instance resolved from a new dependency-injection scope, which the call's end disposes
/// (and with it every scoped or transient disposable the instance depended on).
/// </summary>
internal sealed class RpcScopedServiceActivator<TService, TImplementation> : IRpcServiceActivator<TService>
    where TService : class
    where TImplementation : class, TService
{
    private readonly IServiceScopeFactory _scopes;

    public RpcScopedServiceActivator(IServiceScopeFactory scopes) => _scopes = scopes;

    public TService Activate(out IAsyncDisposable? lifetime)
    {
        IServiceScope scope = _scopes.CreateScope();
        try
        {
            TService service = scope.ServiceProvider.GetRequiredService<TImplementation>();
            // The container's scopes are IAsyncDisposable (no boxing of an AsyncServiceScope); another container's may not be.
            lifetime = scope as IAsyncDisposable ?? new SyncScope(scope);
            return service;
        }
        catch
        {
            scope.Dispose();
            throw;
        }
    }

    private sealed class SyncScope(IServiceScope scope) : IAsyncDisposable
    {
        public System.Threading.Tasks.ValueTask DisposeAsync()
        {
            scope.Dispose();
            return default;
        }
    }
}
