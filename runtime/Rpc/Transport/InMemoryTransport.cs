using System;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rpc.Transport;

/// <summary>The process-wide registry of in-memory listeners, and the pipe pairs that connect to them.</summary>
internal static class InMemoryTransport
{
    private static readonly ConcurrentDictionary<string, InMemoryTransportListener> s_listeners = new(StringComparer.Ordinal);

    public static RpcTransportListener Listen(InMemoryEndPoint endPoint)
    {
        var listener = new InMemoryTransportListener(endPoint);
        if (!s_listeners.TryAdd(endPoint.Name, listener))
        {
            throw new SocketException((int)SocketError.AddressAlreadyInUse, $"An in-memory listener named '{endPoint.Name}' exists already.");
        }
        return listener;
    }

    public static RpcTransportConnection Connect(InMemoryEndPoint endPoint)
    {
        if (!s_listeners.TryGetValue(endPoint.Name, out InMemoryTransportListener? listener))
        {
            throw new SocketException((int)SocketError.ConnectionRefused, $"No in-memory listener is named '{endPoint.Name}'.");
        }
        var toServer = new Pipe();
        var toClient = new Pipe();
        var client = new InMemoryTransportConnection(toClient.Reader, toServer.Writer, endPoint);
        var server = new InMemoryTransportConnection(toServer.Reader, toClient.Writer, endPoint);
        if (!listener.TryOffer(server))
        {
            throw new SocketException((int)SocketError.ConnectionRefused, $"The in-memory listener '{endPoint.Name}' is closed.");
        }
        return client;
    }

    internal static void Remove(InMemoryTransportListener listener) =>
        s_listeners.TryRemove(new(listener.InMemoryEndPoint.Name, listener));
}

/// <summary>An in-memory listener: connections arrive through a channel.</summary>
internal sealed class InMemoryTransportListener : RpcTransportListener
{
    private readonly Channel<RpcTransportConnection> _pending = Channel.CreateUnbounded<RpcTransportConnection>();

    public InMemoryTransportListener(InMemoryEndPoint endPoint) => InMemoryEndPoint = endPoint;

    public InMemoryEndPoint InMemoryEndPoint { get; }

    public override EndPoint EndPoint => InMemoryEndPoint;

    public bool TryOffer(RpcTransportConnection connection) => _pending.Writer.TryWrite(connection);

    public override async ValueTask<RpcTransportConnection?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            if (await _pending.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) && _pending.Reader.TryRead(out RpcTransportConnection? connection))
            {
                return connection;
            }
        }
        catch (ChannelClosedException)
        {
        }
        return null;
    }

    public override async ValueTask DisposeAsync()
    {
        InMemoryTransport.Remove(this);
        _pending.Writer.TryComplete();
        // Connections offered but never accepted are refused: the client sees its pipe close.
        while (_pending.Reader.TryRead(out RpcTransportConnection? connection))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>One end of an in-memory connection: reads one pipe, writes the other.</summary>
internal sealed class InMemoryTransportConnection : RpcTransportConnection
{
    private int _disposed;

    public InMemoryTransportConnection(PipeReader input, PipeWriter output, EndPoint remoteEndPoint)
    {
        Input = input;
        Output = output;
        RemoteEndPoint = remoteEndPoint;
    }

    public override PipeReader Input { get; }

    public override PipeWriter Output { get; }

    public override EndPoint? RemoteEndPoint { get; }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            // Completing our ends is what the peer sees as the connection closing.
            await Output.CompleteAsync().ConfigureAwait(false);
            await Input.CompleteAsync().ConfigureAwait(false);
        }
    }
}
