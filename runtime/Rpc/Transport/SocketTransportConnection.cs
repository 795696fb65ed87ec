using System;
using System.IO;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Rpc.Transport;

/// <summary>A TCP or Unix domain socket as a duplex pipe (through a <see cref="NetworkStream"/>).</summary>
internal sealed class SocketTransportConnection : RpcTransportConnection
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private int _disposed;

    public SocketTransportConnection(Socket socket)
    {
        _socket = socket;
        if (socket.ProtocolType == ProtocolType.Tcp)
        {
            // Frames are batched by the writer already; Nagle would only add latency to each batch.
            socket.NoDelay = true;
        }
        _stream = new NetworkStream(socket, ownsSocket: true);
        Input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4 * 1024, leaveOpen: true));
        // A round of the frame sender (a few KiB, see RpcFrameSender) fits one segment, so it leaves in one send;
        // the pipe rents segments only while it writes, so idle connections hold none.
        Output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: 16 * 1024, leaveOpen: true));
        RemoteEndPoint = socket.RemoteEndPoint;
    }

    public override PipeReader Input { get; }

    public override PipeWriter Output { get; }

    public override EndPoint? RemoteEndPoint { get; }

    public override Stream? Stream => _stream;

    public static async ValueTask<RpcTransportConnection> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, endPoint is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return new SocketTransportConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        try
        {
            await Output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The socket may be gone already; closing it below is what matters.
        }
        await Input.CompleteAsync().ConfigureAwait(false);
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
