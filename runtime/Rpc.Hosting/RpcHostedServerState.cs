namespace Rpc.Hosting;

/// <summary>Where the hosted server is in its life, as <see cref="RpcHostedServer.State"/> and the health check report it.</summary>
public enum RpcHostedServerState
{
    /// <summary>The host has not started it yet.</summary>
    NotStarted,

    /// <summary>Listening on every endpoint and serving calls.</summary>
    Listening,

    /// <summary>The host is stopping: the server accepts no new connections and lets the calls in flight finish.</summary>
    Stopping,

    /// <summary>Stopped; its connections are closed.</summary>
    Stopped,
}
