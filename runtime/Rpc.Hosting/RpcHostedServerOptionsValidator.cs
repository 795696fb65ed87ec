using System.Collections.Generic;
using System.Net;
using Microsoft.Extensions.Options;

namespace Rpc.Hosting;

/// <summary>
/// Refuses server options the host cannot run with, at start, naming the configuration key and what it expects.
/// The ranges of the numeric <see cref="RpcServerOptions"/> values are the server's own: it checks them as the
/// hosted server starts (see <see cref="RpcHostedServer"/>).
/// </summary>
internal sealed class RpcHostedServerOptionsValidator : IValidateOptions<RpcHostedServerOptions>
{
    private readonly bool _hasRegistry;

    /// <param name="hasRegistry">Whether dependency injection has an <see cref="Discovery.IRpcServiceRegistry"/>.</param>
    public RpcHostedServerOptionsValidator(bool hasRegistry) => _hasRegistry = hasRegistry;

    public ValidateOptionsResult Validate(string? name, RpcHostedServerOptions options)
    {
        var failures = new List<string>();
        if (options.Endpoints.Count == 0)
        {
            failures.Add($"{RpcHostingConfiguration.ServerSection}:Endpoints is empty: the server needs at least one endpoint to listen on, {RpcEndPointText.Forms}. Set it in configuration or with AddRpcServer(options => options.Endpoints.Add(...)).");
        }
        var seen = new HashSet<string>();
        for (int i = 0; i < options.Endpoints.Count; i++)
        {
            string text = options.Endpoints[i];
            if (!RpcEndPointText.TryParse(text, out EndPoint? _, out string? error))
            {
                failures.Add($"{RpcHostingConfiguration.ServerSection}:Endpoints:{i}: {error}.");
            }
            else if (!seen.Add(text.Trim()))
            {
                failures.Add($"{RpcHostingConfiguration.ServerSection}:Endpoints:{i}: \"{text}\" is listed twice.");
            }
        }
        RpcHostedRegistrationOptions registration = options.Registration;
        string key = RpcHostingConfiguration.ServerSection + ":Registration";
        if (!string.IsNullOrWhiteSpace(registration.ServiceName))
        {
            if (!_hasRegistry)
            {
                failures.Add($"{key}:ServiceName is \"{registration.ServiceName}\" but no IRpcServiceRegistry is registered: add one, e.g. services.AddSingleton<IRpcServiceRegistry>(...).");
            }
            if (registration.Address is { } address && !RpcEndPointText.TryParse(address, out EndPoint? _, out string? error))
            {
                failures.Add($"{key}:Address: {error}.");
            }
            if (registration.Weight <= 0)
            {
                failures.Add($"{key}:Weight must be greater than 0; it is {registration.Weight}.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
