using System;
using Microsoft.Extensions.DependencyInjection;

namespace Rpc.Hosting;

/// <summary>One service added with <see cref="RpcServerBuilder.AddService{TService, TImplementation}(ServiceLifetime)"/>, added to the server as it starts.</summary>
internal abstract class RpcServiceRegistration
{
    /// <summary>The service interface, for error messages.</summary>
    public abstract Type ServiceType { get; }

    public abstract void AddTo(RpcServer server, IServiceProvider services);
}

/// <summary>A service whose implementation is resolved in a new scope for every call.</summary>
internal sealed class RpcScopedServiceRegistration<TService, TImplementation> : RpcServiceRegistration
    where TService : class
    where TImplementation : class, TService
{
    public override Type ServiceType => typeof(TService);

    public override void AddTo(RpcServer server, IServiceProvider services) =>
        server.AddService<TService>(new RpcScopedServiceActivator<TService, TImplementation>(services.GetRequiredService<IServiceScopeFactory>()));
}

/// <summary>A service whose implementation is resolved once, as the server starts, and serves every call.</summary>
internal sealed class RpcSingletonServiceRegistration<TService, TImplementation> : RpcServiceRegistration
    where TService : class
    where TImplementation : class, TService
{
    public override Type ServiceType => typeof(TService);

    public override void AddTo(RpcServer server, IServiceProvider services) =>
        server.AddService<TService>(services.GetRequiredService<TImplementation>());
}
