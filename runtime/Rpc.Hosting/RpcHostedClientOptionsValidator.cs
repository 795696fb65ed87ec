using System.Collections.Generic;
using System.Net;
using Microsoft.Extensions.Options;

namespace Rpc.Hosting;

/// <summary>Refuses a typed client without a usable address, at start, naming its configuration key.</summary>
internal sealed class RpcHostedClientOptionsValidator : IValidateOptions<RpcHostedClientOptions>
{
    public ValidateOptionsResult Validate(string? name, RpcHostedClientOptions options)
    {
        if (string.IsNullOrEmpty(name))
        {
            // Typed clients always use named options; the unnamed instance is nobody's.
            return ValidateOptionsResult.Skip;
        }
        var failures = new List<string>();
        string key = RpcHostingConfiguration.ClientSection(name) + ":Address";
        if (string.IsNullOrWhiteSpace(options.Address))
        {
            failures.Add($"{key} is not set: the typed client \"{name}\" needs the server's address, {RpcEndPointText.Forms}. Set it in configuration or with AddRpcClient(options => options.Address = ...).");
        }
        else if (!RpcEndPointText.TryParse(options.Address, out EndPoint? _, out string? error))
        {
            failures.Add($"{key}: {error}.");
        }
        if (options.Client.ConnectTimeout <= System.TimeSpan.Zero)
        {
            failures.Add($"{RpcHostingConfiguration.ClientSection(name)}:ConnectTimeout must be positive; it is {options.Client.ConnectTimeout}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
