namespace Rpc.Hosting;

/// <summary>Where Rpc's hosting reads its configuration, and how typed clients are named there.</summary>
public static class RpcHostingConfiguration
{
    /// <summary>The section of the server's options: <c>Rpc:Server</c>.</summary>
    public const string ServerSection = "Rpc:Server";

    /// <summary>The section holding one subsection per typed client: <c>Rpc:Clients</c>.</summary>
    public const string ClientsSection = "Rpc:Clients";

    /// <summary>
    /// The name a typed client of <typeparamref name="TService"/> gets when none is given: the interface's name
    /// without its leading <c>I</c> when an upper-case letter follows (<c>IGreeter</c> is "Greeter", <c>Inventory</c>
    /// stays "Inventory"). Its options are read from <c>Rpc:Clients:&lt;name&gt;</c>.
    /// </summary>
    public static string ClientName<TService>() where TService : class
    {
        string name = typeof(TService).Name;
        return name.Length > 1 && name[0] == 'I' && char.IsUpper(name[1]) ? name.Substring(1) : name;
    }

    /// <summary>The configuration section of the typed client named <paramref name="name"/>.</summary>
    public static string ClientSection(string name) => ClientsSection + ":" + name;
}
