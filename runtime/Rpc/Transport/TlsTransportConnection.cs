using System;
using System.IO;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;

namespace Rpc.Transport;

/// <summary>
/// A transport wrapped in TLS: an <see cref="SslStream"/> over the inner transport's stream, and new pipes over it.
/// The inner transport's own pipes are never used (nothing was read or written through them before the handshake).
/// </summary>
internal sealed class TlsTransportConnection : RpcTransportConnection
{
    private readonly RpcTransportConnection _inner;
    private readonly SslStream _ssl;
    private int _disposed;

    public TlsTransportConnection(RpcTransportConnection inner, SslStream ssl)
    {
        _inner = inner;
        _ssl = ssl;
        Input = PipeReader.Create(ssl, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4 * 1024, leaveOpen: true));
        Output = PipeWriter.Create(ssl, new StreamPipeWriterOptions(minimumBufferSize: 16 * 1024, leaveOpen: true));
        RemoteCertificate = ssl.RemoteCertificate is null ? null : ssl.RemoteCertificate as X509Certificate2 ?? new X509Certificate2(ssl.RemoteCertificate);
    }

    public override PipeReader Input { get; }

    public override PipeWriter Output { get; }

    public override EndPoint? RemoteEndPoint => _inner.RemoteEndPoint;

    public override Stream? Stream => _ssl;

    public override X509Certificate2? RemoteCertificate { get; }

    public override bool IsSecure => true;

    /// <summary>The protocol both sides agreed on by ALPN.</summary>
    public SslApplicationProtocol NegotiatedApplicationProtocol => _ssl.NegotiatedApplicationProtocol;

    public override async ValueTask DisposeAsync()
    {
        if (System.Threading.Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        try
        {
            await Output.CompleteAsync().ConfigureAwait(false);
            await Input.CompleteAsync().ConfigureAwait(false);
            await _ssl.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The peer may be gone already; the inner transport closes the socket below either way.
        }
        await _inner.DisposeAsync().ConfigureAwait(false);
    }
}
