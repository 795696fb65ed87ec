using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Rpc.Transport;

/// <summary>Picks the transport for an endpoint: TCP, Unix domain sockets, or in-memory pipes.</summary>
internal static class RpcTransport
{
    public static RpcTransportListener Listen(EndPoint endPoint) => endPoint switch
    {
        InMemoryEndPoint inMemory => InMemoryTransport.Listen(inMemory),
        IPEndPoint or UnixDomainSocketEndPoint => SocketTransportListener.Listen(endPoint),
        _ => throw new ArgumentException($"Endpoints of type {endPoint.GetType().Name} are not supported: use IPEndPoint, UnixDomainSocketEndPoint or InMemoryEndPoint.", nameof(endPoint)),
    };

    public static ValueTask<RpcTransportConnection> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken) => endPoint switch
    {
        InMemoryEndPoint inMemory => new ValueTask<RpcTransportConnection>(InMemoryTransport.Connect(inMemory)),
        IPEndPoint or UnixDomainSocketEndPoint => SocketTransportConnection.ConnectAsync(endPoint, cancellationToken),
        _ => throw new ArgumentException($"Endpoints of type {endPoint.GetType().Name} are not supported: use IPEndPoint, UnixDomainSocketEndPoint or InMemoryEndPoint.", nameof(endPoint)),
    };
}
