using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Rpc.Hosting;

/// <summary>Healthy while the hosted server listens; unhealthy before it starts, while it drains and once stopped.</summary>
internal sealed class RpcServerHealthCheck : IHealthCheck
{
    private readonly RpcHostedServer? _server;

    public RpcServerHealthCheck(RpcHostedServer? server) => _server = server;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        HealthStatus failure = context.Registration.FailureStatus;
        HealthCheckResult result = _server?.State switch
        {
            null => new HealthCheckResult(failure, "No Rpc server is registered: call services.AddRpcServer(...)."),
            RpcHostedServerState.Listening => HealthCheckResult.Healthy($"The Rpc server is listening on {_server.EndPoints.Count} endpoint(s)."),
            RpcHostedServerState.NotStarted => new HealthCheckResult(failure, "The Rpc server has not started."),
            RpcHostedServerState.Stopping => new HealthCheckResult(failure, "The Rpc server is stopping: it lets the calls in flight finish and accepts no new connections."),
            _ => new HealthCheckResult(failure, "The Rpc server has stopped."),
        };
        return Task.FromResult(result);
    }
}
