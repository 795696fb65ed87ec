using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Rpc.Transport;

/// <summary>Accepts TCP or Unix domain socket connections.</summary>
internal sealed class SocketTransportListener : RpcTransportListener
{
    private readonly Socket _socket;
    private readonly string? _unixPath;
    private int _disposed;

    private SocketTransportListener(Socket socket, EndPoint endPoint, string? unixPath)
    {
        _socket = socket;
        EndPoint = endPoint;
        _unixPath = unixPath;
    }

    public override EndPoint EndPoint { get; }

    public static SocketTransportListener Listen(EndPoint endPoint)
    {
        bool unix = endPoint is UnixDomainSocketEndPoint;
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, unix ? ProtocolType.Unspecified : ProtocolType.Tcp);
        try
        {
            if (endPoint is IPEndPoint { AddressFamily: AddressFamily.InterNetworkV6 })
            {
                socket.DualMode = true;
            }
            socket.Bind(endPoint);
            socket.Listen(512);
            return new SocketTransportListener(socket, socket.LocalEndPoint ?? endPoint, unix ? endPoint.ToString() : null);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public override async ValueTask<RpcTransportConnection?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Socket accepted;
            try
            {
                accepted = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return null;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted || Volatile.Read(ref _disposed) != 0)
            {
                return null;
            }
            catch (SocketException)
            {
                // A connection that died between the handshake and accept (ECONNABORTED and the like): take the next.
                continue;
            }
            return new SocketTransportConnection(accepted);
        }
    }

    public override ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _socket.Dispose();
            if (_unixPath is not null)
            {
                try
                {
                    File.Delete(_unixPath);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }
        return default;
    }
}
