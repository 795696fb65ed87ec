using System.Collections.Generic;
using System.Net;
using Microsoft.Extensions.Options;

namespace Rpc.Hosting;

/// <summary>Refuses a typed client without a usable target (an address, or a service name and a registry), at start, naming its configuration key.</summary>
internal sealed class RpcHostedClientOptionsValidator : IValidateOptions<RpcHostedClientOptions>
{
    private readonly bool _hasRegistry;

    /// <param name="hasRegistry">Whether dependency injection has an <see cref="Discovery.IRpcServiceRegistry"/>.</param>
    public RpcHostedClientOptionsValidator(bool hasRegistry) => _hasRegistry = hasRegistry;

    public ValidateOptionsResult Validate(string? name, RpcHostedClientOptions options)
    {
        if (string.IsNullOrEmpty(name))
        {
            // Typed clients always use named options; the unnamed instance is nobody's.
            return ValidateOptionsResult.Skip;
        }
        var failures = new List<string>();
        string section = RpcHostingConfiguration.ClientSection(name);
        bool hasAddress = !string.IsNullOrWhiteSpace(options.Address);
        bool hasService = !string.IsNullOrWhiteSpace(options.ServiceName);
        if (!hasAddress && !hasService)
        {
            failures.Add($"{section}:Address is not set: the typed client \"{name}\" needs the server's address, {RpcEndPointText.Forms}, or {section}:ServiceName with an IRpcServiceRegistry in dependency injection. Set it in configuration or with AddRpcClient(options => options.Address = ...).");
        }
        else if (hasAddress && hasService)
        {
            failures.Add($"{section}: both Address (\"{options.Address}\") and ServiceName (\"{options.ServiceName}\") are set; the typed client \"{name}\" calls either one address or a service found through a registry.");
        }
        else if (hasAddress && !RpcEndPointText.TryParse(options.Address, out EndPoint? _, out string? error))
        {
            failures.Add($"{section}:Address: {error}.");
        }
        else if (hasService && !_hasRegistry)
        {
            failures.Add($"{section}:ServiceName is \"{options.ServiceName}\" but no IRpcServiceRegistry is registered: add one, e.g. services.AddSingleton<IRpcServiceRegistry>(new InMemoryServiceRegistry()).");
        }
        if (options.Client.ConnectTimeout <= System.TimeSpan.Zero)
        {
            failures.Add($"{section}:ConnectTimeout must be positive; it is {options.Client.ConnectTimeout}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
