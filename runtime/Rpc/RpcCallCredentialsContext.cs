using System.Threading;

namespace Rpc;

/// <summary>What <see cref="RpcClientOptions.CallCredentials"/> learns about the call it adds credentials to.</summary>
public sealed class RpcCallCredentialsContext
{
    internal RpcCallCredentialsContext(RpcMethodDescriptor method, CancellationToken cancellationToken)
    {
        Method = method;
        CancellationToken = cancellationToken;
    }

    /// <summary>The method called: a token may be scoped to a service or a method.</summary>
    public RpcMethodDescriptor Method { get; }

    /// <summary>The call's token: fetching a token should stop when the call is cancelled.</summary>
    public CancellationToken CancellationToken { get; }
}
