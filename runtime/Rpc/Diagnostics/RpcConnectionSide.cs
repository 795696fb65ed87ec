namespace Rpc.Diagnostics;

/// <summary>Which end of a connection reports an event: the client that dialled, or the server that accepted.</summary>
public enum RpcConnectionSide
{
    /// <summary>The client's end; the remote endpoint is the server.</summary>
    Client,

    /// <summary>The server's end; the remote endpoint is the client.</summary>
    Server,
}
