using System.Net;
using System.Net.Sockets;

namespace Rpc.IntegrationTests.Support;

/// <summary>The accept-and-connect step the test proxies share: one client connection and its own to the target.</summary>
internal static class ProxyConnections
{
    /// <summary>
    /// Waits for the next client and connects a socket of its own to <paramref name="target"/>. Null once the
    /// listener stops; a client whose target connection fails is dropped and the next one waited for.
    /// </summary>
    public static async Task<(Socket Inbound, Socket Outbound)?> AcceptNextAsync(TcpListener listener, IPEndPoint target, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket inbound;
            try
            {
                inbound = await listener.AcceptSocketAsync(stop);
            }
            catch (Exception)
            {
                return null;
            }
            var outbound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await outbound.ConnectAsync(target, stop);
            }
            catch (Exception)
            {
                inbound.Dispose();
                outbound.Dispose();
                continue;
            }
            return (inbound, outbound);
        }
        return null;
    }
}
