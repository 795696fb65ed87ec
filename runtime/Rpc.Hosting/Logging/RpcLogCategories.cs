namespace Rpc.Hosting.Logging;

/// <summary>The <c>ILogger</c> categories Rpc writes to, one per component (filter them in <c>Logging:LogLevel</c>).</summary>
public static class RpcLogCategories
{
    /// <summary>The server: handler and one-way failures, listeners, registrations, the hosted server's start and stop. Event ids 100-199.</summary>
    public const string Server = "Rpc.Server";

    /// <summary>Connections on either side: opened, closed, GoAway, keepalive, limits. Event ids 1-99.</summary>
    public const string Connection = "Rpc.Connection";

    /// <summary>Clients: reconnects, discovery, typed clients' first connections. Event ids 200-299.</summary>
    public const string Client = "Rpc.Client";
}
