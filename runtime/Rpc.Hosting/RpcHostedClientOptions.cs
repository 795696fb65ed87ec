namespace Rpc.Hosting;

/// <summary>
/// Options of one typed client added with <c>AddRpcClient</c>, named after its interface (see
/// <see cref="RpcHostingConfiguration.ClientName{TService}"/>). Bound from the configuration section
/// <c>Rpc:Clients:&lt;name&gt;</c> first, then changed by the delegate given to <c>AddRpcClient</c>, and validated
/// when the host starts.
/// </summary>
public sealed class RpcHostedClientOptions
{
    /// <summary>
    /// The server to call: <c>"tcp://host:port"</c> or <c>"unix:/path/to/socket"</c>. Typed clients with the same
    /// address share one connection. Set either this or <see cref="ServiceName"/>.
    /// </summary>
    public string? Address { get; set; }

    /// <summary>
    /// The service to call through a registry: every instance of it that the <see cref="Discovery.IRpcServiceRegistry"/>
    /// registered in dependency injection lists, calls balanced over them
    /// (<see cref="RpcClient.ConnectAsync(string, Discovery.IRpcServiceRegistry, RpcClientOptions?, System.Threading.CancellationToken)"/>).
    /// Typed clients with the same service name share one balanced client. Set either this or <see cref="Address"/>.
    /// </summary>
    public string? ServiceName { get; set; }

    /// <summary>
    /// The options of the connection: every value that configuration can express is read from the same section
    /// (<c>Rpc:Clients:&lt;name&gt;:DefaultTimeout</c>, <c>...:ConnectTimeout</c>, ...); interceptors are set in
    /// code. Clients sharing an address share a connection, which is made with the options of the first of them
    /// to be registered.
    /// </summary>
    public RpcClientOptions Client { get; } = new();
}
