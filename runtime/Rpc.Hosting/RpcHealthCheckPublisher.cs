using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Rpc.Health;

namespace Rpc.Hosting;

/// <summary>
/// Feeds the hosted server's <see cref="IRpcHealth"/> from Microsoft.Extensions health checks: every report the
/// host's health check publisher makes (<see cref="HealthCheckPublisherOptions"/>: after <c>Delay</c>, every
/// <c>Period</c>) sets the whole server's status (<c>""</c>): Healthy and Degraded are Serving, Unhealthy is
/// NotServing. A host without <c>AddHealthChecks()</c> never publishes, and the server reads Serving until it drains.
/// </summary>
internal sealed class RpcHealthCheckPublisher : IHealthCheckPublisher
{
    private readonly RpcHostedServer _server;

    public RpcHealthCheckPublisher(RpcHostedServer server) => _server = server;

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        _server.Server?.Health.SetStatus("", report.Status == HealthStatus.Unhealthy ? RpcHealthStatus.NotServing : RpcHealthStatus.Serving);
        return Task.CompletedTask;
    }
}
