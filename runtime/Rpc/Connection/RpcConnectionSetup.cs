using System;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Transport;

namespace Rpc.Protocol;

/// <summary>
/// The one step between a transport and a connection, for both sides: open (client) or take (server) the transport,
/// then exchange the prefaces that say both ends speak this protocol, all within one time limit. A TLS step goes here,
/// between the transport and the preface, so that every listener and every reconnect gets it.
/// </summary>
internal static class RpcConnectionSetup
{
    /// <summary>
    /// Connects to <paramref name="endPoint"/> and exchanges prefaces within <paramref name="timeout"/>.
    /// </summary>
    /// <exception cref="RpcException"><see cref="RpcStatusCode.Unavailable"/>: unreachable, too slow, or not this protocol.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<RpcTransportConnection> ConnectAsync(EndPoint endPoint, TimeSpan timeout, SslClientAuthenticationOptions? tls, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);

        RpcTransportConnection transport;
        try
        {
            transport = await RpcTransport.ConnectAsync(endPoint, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not ArgumentException)
        {
            throw Unavailable(endPoint, ex is OperationCanceledException ? "timed out" : ex.Message, ex);
        }

        if (tls is not null)
        {
            try
            {
                transport = await RpcTls.AuthenticateAsClientAsync(transport, tls, endPoint, limit.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                await transport.DisposeAsync().ConfigureAwait(false);
                if (ex is RpcException || (ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
                {
                    throw;
                }
                throw Unavailable(endPoint, ex is OperationCanceledException
                    ? "the TLS handshake timed out (is the server listening without TLS?)"
                    : $"the TLS handshake failed: {ex.Message}{(ex.InnerException is { } inner ? " " + inner.Message : "")} (is the server listening without TLS, or is its certificate refused?)", ex);
            }
        }

        try
        {
            RpcPreface.Write(transport.Output);
            FlushResult flushed = await transport.Output.FlushAsync(limit.Token).ConfigureAwait(false);
            if (flushed.IsCompleted || !await RpcPreface.ReadAsync(transport.Input, limit.Token).ConfigureAwait(false))
            {
                throw Unavailable(endPoint, tls is null
                    ? "the server did not answer with an Rpc version 1 preface (does it require TLS? set RpcClientOptions.Tls)"
                    : "the server did not answer with an Rpc version 1 preface", null);
            }
            return transport;
        }
        catch (Exception ex)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            if (ex is RpcException || (ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                throw;
            }
            throw Unavailable(endPoint, ex is OperationCanceledException ? "timed out waiting for the server's preface" : ex.Message, ex);
        }
    }

    /// <summary>
    /// The server's side: the TLS handshake when <paramref name="tls"/> is set, then reads the client's preface and
    /// answers it, all within <paramref name="timeout"/>. Null (the caller closes <paramref name="transport"/>) for a
    /// client that is silent, too slow, fails the handshake or speaks something else; otherwise the transport to
    /// use, which is a TLS transport over <paramref name="transport"/> when TLS is on.
    /// </summary>
    public static async Task<RpcTransportConnection?> AcceptAsync(RpcTransportConnection transport, SslServerAuthenticationOptions? tls, TimeSpan timeout, CancellationToken stopping)
    {
        RpcTransportConnection? secured = null;
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            limit.CancelAfter(timeout);
            if (tls is not null)
            {
                secured = await RpcTls.AuthenticateAsServerAsync(transport, tls, limit.Token).ConfigureAwait(false);
            }
            RpcTransportConnection connection = secured ?? transport;
            if (await RpcPreface.ReadAsync(connection.Input, limit.Token).ConfigureAwait(false))
            {
                RpcPreface.Write(connection.Output);
                FlushResult flushed = await connection.Output.FlushAsync(limit.Token).ConfigureAwait(false);
                if (!flushed.IsCompleted && !flushed.IsCanceled)
                {
                    return connection;
                }
            }
        }
        catch (Exception)
        {
            // A timeout, a reset, a refused certificate, a shutdown: in every case the connection is refused.
        }
        if (secured is not null)
        {
            // Closes the inner transport too; the caller's dispose of it is then a no-op.
            await secured.DisposeAsync().ConfigureAwait(false);
        }
        return null;
    }

    private static RpcException Unavailable(EndPoint endPoint, string why, Exception? inner) =>
        new(RpcStatusCode.Unavailable, $"Could not connect to {endPoint}: {why}.", inner);
}
