using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Rpc.Hosting;

/// <summary>Reads <see cref="RpcHostedServerOptions"/> from the <c>Rpc:Server</c> section, before any delegate of <c>AddRpcServer</c> runs.</summary>
internal sealed class RpcHostedServerOptionsSetup : IConfigureOptions<RpcHostedServerOptions>
{
    private readonly IConfiguration? _configuration;

    public RpcHostedServerOptionsSetup(IConfiguration? configuration) => _configuration = configuration;

    public void Configure(RpcHostedServerOptions options)
    {
        if (_configuration is null)
        {
            return;
        }
        IConfigurationSection section = _configuration.GetSection(RpcHostingConfiguration.ServerSection);
        RpcOptionsBinding.AddStrings(section.GetSection(nameof(RpcHostedServerOptions.Endpoints)), options.Endpoints);
        // Every scalar RpcServerOptions value; TLS, interceptors and delegates are set in code.
        RpcServerOptionsConfiguration.Apply(section, options.Server);
        section.GetSection(nameof(RpcHostedServerOptions.Registration)).Bind(options.Registration);
    }
}
