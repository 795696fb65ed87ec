namespace Rpc.Health;

/// <summary>What <see cref="IRpcHealth"/> answers, as <c>grpc.health.v1.HealthCheckResponse.ServingStatus</c> spells it.</summary>
public enum RpcHealthStatus
{
    /// <summary>No status is known.</summary>
    Unknown = 0,

    /// <summary>Serving calls.</summary>
    Serving = 1,

    /// <summary>Not serving: unhealthy, or the server is draining.</summary>
    NotServing = 2,

    /// <summary>The server does not know the service asked about.</summary>
    ServiceUnknown = 3,
}
