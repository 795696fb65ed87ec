using System;
using System.IO.Pipelines;
using System.Net;
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
    public static async Task<RpcTransportConnection> ConnectAsync(EndPoint endPoint, TimeSpan timeout, CancellationToken cancellationToken)
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

        try
        {
            RpcPreface.Write(transport.Output);
            FlushResult flushed = await transport.Output.FlushAsync(limit.Token).ConfigureAwait(false);
            if (flushed.IsCompleted || !await RpcPreface.ReadAsync(transport.Input, limit.Token).ConfigureAwait(false))
            {
                throw Unavailable(endPoint, "the server did not answer with an Rpc version 1 preface", null);
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
    /// The server's side: reads the client's preface and answers it within <paramref name="timeout"/>. False (the
    /// caller closes the transport) for a client that is silent, too slow, or speaks something else.
    /// </summary>
    public static async Task<bool> AcceptAsync(RpcTransportConnection transport, TimeSpan timeout, CancellationToken stopping)
    {
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            limit.CancelAfter(timeout);
            if (await RpcPreface.ReadAsync(transport.Input, limit.Token).ConfigureAwait(false))
            {
                RpcPreface.Write(transport.Output);
                FlushResult flushed = await transport.Output.FlushAsync(limit.Token).ConfigureAwait(false);
                return !flushed.IsCompleted && !flushed.IsCanceled;
            }
        }
        catch (Exception)
        {
            // A timeout, a reset, a shutdown: in every case the connection is refused.
        }
        return false;
    }

    private static RpcException Unavailable(EndPoint endPoint, string why, Exception? inner) =>
        new(RpcStatusCode.Unavailable, $"Could not connect to {endPoint}: {why}.", inner);
}
