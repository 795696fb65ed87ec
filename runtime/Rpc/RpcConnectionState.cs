namespace Rpc;

/// <summary>The state of a client's connection to one endpoint, as gRPC defines connectivity states.</summary>
public enum RpcConnectionState
{
    /// <summary>No connection and no attempt under way.</summary>
    Idle = 0,

    /// <summary>Connecting and exchanging prefaces; calls started now wait for the outcome.</summary>
    Connecting = 1,

    /// <summary>Connected: calls are sent at once.</summary>
    Ready = 2,

    /// <summary>
    /// The last attempt failed and the next waits for its backoff delay; calls fail at once with
    /// <see cref="RpcStatusCode.Unavailable"/> unless they set <see cref="RpcCallOptions.WaitForReady"/>.
    /// </summary>
    TransientFailure = 3,

    /// <summary>The client was disposed; it never connects again.</summary>
    Shutdown = 4,
}
