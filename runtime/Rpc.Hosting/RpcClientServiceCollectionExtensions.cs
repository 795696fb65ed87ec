using System;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rpc.Client;
using Rpc.Discovery;
using Rpc.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds typed Rpc clients to a host's services.</summary>
public static class RpcClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TService"/> as a singleton that calls a remote server: inject it and call it.
    /// The client is named after the interface (<see cref="RpcHostingConfiguration.ClientName{TService}"/>:
    /// <c>IGreeter</c> is "Greeter"); its options come from the configuration section <c>Rpc:Clients:&lt;name&gt;</c>,
    /// then from <paramref name="configure"/>, and are validated at start. It calls one address
    /// (<see cref="RpcHostedClientOptions.Address"/>) or every instance of a service that the
    /// <see cref="IRpcServiceRegistry"/> in dependency injection lists (<see cref="RpcHostedClientOptions.ServiceName"/>).
    /// Typed clients of the same target share one <see cref="Rpc.RpcClient"/>, made when the host has started; see
    /// docs/hosting.md for calls made while it is down.
    /// </summary>
    public static RpcClientBuilder AddRpcClient<TService>(this IServiceCollection services, Action<RpcHostedClientOptions>? configure = null)
        where TService : class =>
        services.AddRpcClient<TService>(RpcHostingConfiguration.ClientName<TService>(), configure);

    /// <summary>
    /// Registers <typeparamref name="TService"/> as a typed client named <paramref name="name"/>: its options come
    /// from <c>Rpc:Clients:&lt;name&gt;</c>, then from <paramref name="configure"/>. See
    /// <see cref="AddRpcClient{TService}(IServiceCollection, Action{RpcHostedClientOptions}?)"/>.
    /// </summary>
    public static RpcClientBuilder AddRpcClient<TService>(this IServiceCollection services, string name, Action<RpcHostedClientOptions>? configure = null)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        services.AddOptions<RpcHostedClientOptions>(name).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<RpcHostedClientOptions>, RpcHostedClientOptionsSetup>(
            static provider => new RpcHostedClientOptionsSetup(provider.GetService<IConfiguration>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RpcHostedClientOptions>, RpcHostedClientOptionsValidator>(
            static provider => new RpcHostedClientOptionsValidator(provider.GetService<IRpcServiceRegistry>() is not null)));
        if (configure is not null)
        {
            services.Configure(name, configure);
        }
        services.TryAddSingleton(static provider => new RpcClientConnections(
            provider.GetRequiredService<IOptionsMonitor<RpcHostedClientOptions>>(),
            provider.GetService<IRpcServiceRegistry>(),
            provider.GetService<ILoggerFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RpcClientConnector>(static provider => new RpcClientConnector(
            provider.GetRequiredService<RpcClientConnections>(),
            provider.GetServices<RpcClientRegistration>())));
        services.AddSingleton(new RpcClientRegistration(name));
        // The proxy calls through the shared connection's invoker: resolving it never waits for the network.
        services.AddSingleton(provider => RpcProxyRegistry.Create<TService>(provider.GetRequiredService<RpcClientConnections>().Get(name)));
        return new RpcClientBuilder(name, services);
    }
}
