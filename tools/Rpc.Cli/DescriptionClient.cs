using System;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Cli.Schema;
using Rpc.Contracts;
using Rpc.Serialization;

namespace Rpc.Cli;

/// <summary>Asks a server's description service (docs/contracts.md) for its services and contracts.</summary>
internal static class DescriptionClient
{
    public static Task<string> ListServicesAsync(RpcClient client, CancellationToken cancellationToken) =>
        CallAsync(client, RpcDescriptionService.ListServices, argument: null, cancellationToken);

    public static async Task<ContractDocument> GetContractAsync(RpcClient client, string serviceName, CancellationToken cancellationToken) =>
        ContractDocument.Parse(await CallAsync(client, RpcDescriptionService.GetServiceContract, serviceName, cancellationToken).ConfigureAwait(false));

    private static async Task<string> CallAsync(RpcClient client, RpcMethodDescriptor method, string? argument, CancellationToken cancellationToken)
    {
        byte[] arguments = argument is null ? Array.Empty<byte>() : RpcSerializer.Serialize(argument);
        try
        {
            byte[]? result = await RpcRawCalls.InvokeUnaryAsync(client, method, arguments, hasResult: true, cancellationToken).ConfigureAwait(false);
            return RpcSerializer.Deserialize<string>(result!) ?? string.Empty;
        }
        catch (RpcException ex) when (ex.StatusCode == RpcStatusCode.Unimplemented)
        {
            throw new CliException("the server does not describe its services: start it with RpcServerOptions.EnableDescription = true.");
        }
    }
}
