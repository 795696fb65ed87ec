using System.Threading;
using Rpc.Serialization;

namespace Rpc.Client;

/// <summary>
/// What a generated proxy calls through. <see cref="RpcClient"/> implements it; a wrapper (interceptors, a load
/// balancer) can implement it too and hand calls on.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public interface IRpcCallInvoker
{
    /// <summary>The options arguments are serialized and results deserialized with.</summary>
    RpcSerializerOptions SerializerOptions { get; }

    /// <summary>
    /// Starts a call: the proxy writes the arguments with <see cref="RpcOutgoingCall.CreateArgumentWriter"/>, then
    /// invokes it (or abandons it if writing the arguments threw).
    /// </summary>
    RpcOutgoingCall StartCall(RpcMethodDescriptor method, CancellationToken cancellationToken);
}
