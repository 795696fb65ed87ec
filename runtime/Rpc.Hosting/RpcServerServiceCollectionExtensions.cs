using System;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rpc.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds an Rpc server to a host's services.</summary>
public static class RpcServerServiceCollectionExtensions
{
    /// <summary>
    /// Runs an <see cref="Rpc.RpcServer"/> as a hosted service (<see cref="RpcHostedServer"/>): it listens as the host
    /// starts and drains as it stops. Options come from the configuration section <c>Rpc:Server</c> (when the
    /// container has an <see cref="IConfiguration"/>), then from <paramref name="configure"/>, and are validated at
    /// start. Add the services to serve with the returned builder. Calling this again adds to the same server.
    /// </summary>
    public static RpcServerBuilder AddRpcServer(this IServiceCollection services, Action<RpcHostedServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<RpcHostedServerOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<RpcHostedServerOptions>, RpcHostedServerOptionsSetup>(
            static provider => new RpcHostedServerOptionsSetup(provider.GetService<IConfiguration>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RpcHostedServerOptions>, RpcHostedServerOptionsValidator>(
            static provider => new RpcHostedServerOptionsValidator(provider.GetService<Rpc.Discovery.IRpcServiceRegistry>() is not null)));
        if (configure is not null)
        {
            services.Configure(configure);
        }
        services.TryAddSingleton(static provider => new RpcHostedServer(
            provider,
            provider.GetRequiredService<IOptions<RpcHostedServerOptions>>(),
            provider.GetServices<RpcServiceRegistration>(),
            provider.GetService<IHostApplicationLifetime>(),
            provider.GetService<ILoggerFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RpcHostedServer>(static provider => provider.GetRequiredService<RpcHostedServer>()));
        // Used only when the host has health checks (AddHealthChecks runs the publishers).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHealthCheckPublisher, RpcHealthCheckPublisher>(
            static provider => new RpcHealthCheckPublisher(provider.GetRequiredService<RpcHostedServer>())));
        return new RpcServerBuilder(services);
    }
}
