using System;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Rpc.Hosting;

/// <summary>What <c>AddRpcServer</c> returns: adds the services the hosted server serves.</summary>
public sealed class RpcServerBuilder
{
    internal RpcServerBuilder(IServiceCollection services) => Services = services;

    /// <summary>The application's service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Serves <typeparamref name="TService"/> with <typeparamref name="TImplementation"/> resolved from dependency
    /// injection in a new scope for every call; the scope is disposed when the call ends (for a streaming call,
    /// when its stream ends). <typeparamref name="TImplementation"/> is registered as scoped unless the application
    /// registered it already.
    /// </summary>
    public RpcServerBuilder AddService<TService, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImplementation>()
        where TService : class
        where TImplementation : class, TService =>
        AddService<TService, TImplementation>(ServiceLifetime.Scoped);

    /// <summary>
    /// Serves <typeparamref name="TService"/> with <typeparamref name="TImplementation"/> from dependency injection.
    /// <see cref="ServiceLifetime.Scoped"/> and <see cref="ServiceLifetime.Transient"/>: an instance from a new
    /// scope for every call, the scope disposed when the call ends. <see cref="ServiceLifetime.Singleton"/>: one
    /// instance, resolved as the server starts, serves every call with no per-call cost (it must be thread-safe).
    /// <typeparamref name="TImplementation"/> is registered with that lifetime unless the application registered it already.
    /// </summary>
    public RpcServerBuilder AddService<TService, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImplementation>(ServiceLifetime lifetime)
        where TService : class
        where TImplementation : class, TService
    {
        Services.TryAdd(ServiceDescriptor.Describe(typeof(TImplementation), typeof(TImplementation), lifetime));
        RpcServiceRegistration registration = lifetime == ServiceLifetime.Singleton
            ? new RpcSingletonServiceRegistration<TService, TImplementation>()
            : new RpcScopedServiceRegistration<TService, TImplementation>();
        Services.AddSingleton(registration);
        return this;
    }

    /// <summary>
    /// Adds a server interceptor resolved from dependency injection when the server starts (so it may take services
    /// in its constructor), after those in <see cref="RpcServerOptions.Interceptors"/>, in the order added.
    /// <typeparamref name="TInterceptor"/> is registered as a singleton unless the application registered it
    /// already; it serves every call, so per-call state belongs in the call's <see cref="RpcContext"/>.
    /// </summary>
    public RpcServerBuilder AddInterceptor<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TInterceptor>()
        where TInterceptor : class, IRpcServerInterceptor
    {
        Services.TryAddSingleton<TInterceptor>();
        Services.AddSingleton(new RpcInterceptorRegistration(static provider => provider.GetRequiredService<TInterceptor>()));
        return this;
    }
}
