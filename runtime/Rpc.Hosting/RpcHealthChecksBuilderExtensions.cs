using System.Collections.Generic;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Rpc.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the hosted Rpc server's health to Microsoft.Extensions health checks.</summary>
public static class RpcHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check that reports <see cref="HealthStatus.Healthy"/> while the server added with
    /// <c>AddRpcServer</c> listens, and <paramref name="failureStatus"/> (default <see cref="HealthStatus.Unhealthy"/>)
    /// before it starts, from the moment the host begins to stop (while the server drains), and after it stopped.
    /// </summary>
    public static IHealthChecksBuilder AddRpcServer(this IHealthChecksBuilder builder, string name = "rpc-server", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        System.ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name,
            static provider => new RpcServerHealthCheck(provider.GetService<RpcHostedServer>()),
            failureStatus,
            tags));
    }
}
