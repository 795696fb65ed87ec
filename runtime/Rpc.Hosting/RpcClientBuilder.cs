using Microsoft.Extensions.DependencyInjection;

namespace Rpc.Hosting;

/// <summary>What <c>AddRpcClient</c> returns: the typed client's name and the application's services.</summary>
public sealed class RpcClientBuilder
{
    internal RpcClientBuilder(string name, IServiceCollection services)
    {
        Name = name;
        Services = services;
    }

    /// <summary>The client's name: its options are the named options of that name, read from <c>Rpc:Clients:&lt;name&gt;</c>.</summary>
    public string Name { get; }

    /// <summary>The application's service collection.</summary>
    public IServiceCollection Services { get; }
}
