using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Transport;

namespace Rpc.Protocol;

/// <summary>
/// The TLS step of connection setup: wraps a socket transport in <see cref="SslStream"/> with this protocol's ALPN
/// id. Options are copied per use so that a user's options object is never changed and handshakes never share one.
/// </summary>
internal static class RpcTls
{
    /// <summary>This protocol's ALPN id: a TLS server refuses clients that speak something else.</summary>
    public static readonly SslApplicationProtocol Alpn = new("rpc/1");

    public static async Task<RpcTransportConnection> AuthenticateAsClientAsync(RpcTransportConnection transport, SslClientAuthenticationOptions options, EndPoint endPoint, CancellationToken cancellationToken)
    {
        if (transport.Stream is not { } stream)
        {
            throw new RpcException(RpcStatusCode.Unavailable, $"Could not connect to {endPoint}: TLS needs a TCP or Unix socket endpoint.");
        }
        var ssl = new SslStream(stream, leaveInnerStreamOpen: true);
        SslClientAuthenticationOptions copy = Copy(options, endPoint);
        try
        {
            await ssl.AuthenticateAsClientAsync(copy, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new TlsTransportConnection(transport, ssl);
    }

    public static async Task<RpcTransportConnection> AuthenticateAsServerAsync(RpcTransportConnection transport, SslServerAuthenticationOptions options, CancellationToken cancellationToken)
    {
        if (transport.Stream is not { } stream)
        {
            throw new InvalidOperationException("TLS needs a TCP or Unix socket listener.");
        }
        var ssl = new SslStream(stream, leaveInnerStreamOpen: true);
        try
        {
            await ssl.AuthenticateAsServerAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new TlsTransportConnection(transport, ssl);
    }

    /// <summary>A copy of the server's options with this protocol's ALPN id unless the user named protocols.</summary>
    public static SslServerAuthenticationOptions Copy(SslServerAuthenticationOptions options) => new()
    {
        AllowRenegotiation = options.AllowRenegotiation,
        ApplicationProtocols = options.ApplicationProtocols ?? new List<SslApplicationProtocol> { Alpn },
        CertificateChainPolicy = options.CertificateChainPolicy,
        CertificateRevocationCheckMode = options.CertificateRevocationCheckMode,
        CipherSuitesPolicy = options.CipherSuitesPolicy,
        ClientCertificateRequired = options.ClientCertificateRequired,
        EnabledSslProtocols = options.EnabledSslProtocols,
        EncryptionPolicy = options.EncryptionPolicy,
        RemoteCertificateValidationCallback = options.RemoteCertificateValidationCallback,
        ServerCertificate = options.ServerCertificate,
        ServerCertificateContext = options.ServerCertificateContext,
        ServerCertificateSelectionCallback = options.ServerCertificateSelectionCallback,
        AllowTlsResume = options.AllowTlsResume,
    };

    private static SslClientAuthenticationOptions Copy(SslClientAuthenticationOptions options, EndPoint endPoint) => new()
    {
        AllowRenegotiation = options.AllowRenegotiation,
        ApplicationProtocols = options.ApplicationProtocols ?? new List<SslApplicationProtocol> { Alpn },
        CertificateChainPolicy = options.CertificateChainPolicy,
        CertificateRevocationCheckMode = options.CertificateRevocationCheckMode,
        CipherSuitesPolicy = options.CipherSuitesPolicy,
        ClientCertificates = options.ClientCertificates,
        ClientCertificateContext = options.ClientCertificateContext,
        EnabledSslProtocols = options.EnabledSslProtocols,
        EncryptionPolicy = options.EncryptionPolicy,
        LocalCertificateSelectionCallback = options.LocalCertificateSelectionCallback,
        RemoteCertificateValidationCallback = options.RemoteCertificateValidationCallback,
        // The name the server's certificate must carry: the user's, else the endpoint's host.
        TargetHost = options.TargetHost ?? endPoint switch
        {
            DnsEndPoint dns => dns.Host,
            IPEndPoint ip => ip.Address.ToString(),
            UnixDomainSocketEndPoint => "localhost",
            _ => endPoint.ToString(),
        },
        AllowTlsResume = options.AllowTlsResume,
    };
}
