using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Rpc.Hosting;

/// <summary>Reads each typed client's <see cref="RpcHostedClientOptions"/> from <c>Rpc:Clients:&lt;name&gt;</c>, before any delegate of <c>AddRpcClient</c> runs.</summary>
internal sealed class RpcHostedClientOptionsSetup : IConfigureNamedOptions<RpcHostedClientOptions>
{
    private readonly IConfiguration? _configuration;

    public RpcHostedClientOptionsSetup(IConfiguration? configuration) => _configuration = configuration;

    public void Configure(RpcHostedClientOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, RpcHostedClientOptions options)
    {
        if (_configuration is null || string.IsNullOrEmpty(name))
        {
            return;
        }
        IConfigurationSection section = _configuration.GetSection(RpcHostingConfiguration.ClientSection(name));
        if (section[nameof(RpcHostedClientOptions.Address)] is { } address)
        {
            options.Address = address;
        }
        if (section[nameof(RpcHostedClientOptions.ServiceName)] is { } serviceName)
        {
            options.ServiceName = serviceName;
        }
        // Every scalar RpcClientOptions value; TLS, credentials, interceptors and the retry policy are set in code.
        RpcClientOptionsConfiguration.Apply(section, options.Client);
    }
}
