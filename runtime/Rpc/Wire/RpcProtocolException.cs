using System;

namespace Rpc.Protocol;

/// <summary>The peer broke the protocol; the connection is closed with a GoAway carrying <see cref="Status"/>.</summary>
internal sealed class RpcProtocolException : Exception
{
    public RpcProtocolException(RpcStatusCode status, string message) : base(message) => Status = status;

    public RpcStatusCode Status { get; }
}
