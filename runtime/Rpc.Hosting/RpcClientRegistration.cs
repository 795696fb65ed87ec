namespace Rpc.Hosting;

/// <summary>A typed client's name, one registered per <c>AddRpcClient</c> call, so that the host can connect every client at start.</summary>
internal sealed record RpcClientRegistration(string Name);
