using System.Net;
using System.Net.Sockets;

namespace Rpc.IntegrationTests.Support;

/// <summary>
/// A TCP proxy on loopback between a client and a server that can misbehave the ways networks do: stop forwarding
/// without closing (a blackhole), or cut a connection as soon as the server starts answering (the request arrived,
/// the response is lost). Every connection it accepts gets its own pair of pumps.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = new();
    private volatile bool _blackhole;
    private int _cutsLeft;

    public FaultProxy(IPEndPoint target)
    {
        _target = target;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>While true, bytes are held back both ways and connections stay open; new connections hang the same way.</summary>
    public bool Blackhole
    {
        get => _blackhole;
        set => _blackhole = value;
    }

    /// <summary>The next <paramref name="count"/> times the server sends anything, the connection is cut instead.</summary>
    public void CutOnNextResponses(int count) => Volatile.Write(ref _cutsLeft, count);

    private async Task AcceptLoopAsync()
    {
        while (await ProxyConnections.AcceptNextAsync(_listener, _target, _stop.Token) is (Socket inbound, Socket outbound))
        {
            lock (_sockets)
            {
                _sockets.Add(inbound);
                _sockets.Add(outbound);
            }
            _ = PumpAsync(inbound, outbound, fromServer: false);
            _ = PumpAsync(outbound, inbound, fromServer: true);
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool fromServer)
    {
        var buffer = new byte[64 * 1024];
        bool prefaceSeen = false;
        try
        {
            while (true)
            {
                int read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    break;
                }
                while (_blackhole)
                {
                    await Task.Delay(10, _stop.Token);
                }
                // The server's preface is not a response; anything after it is.
                if (fromServer && prefaceSeen && Volatile.Read(ref _cutsLeft) > 0 && Interlocked.Decrement(ref _cutsLeft) >= 0)
                {
                    break;
                }
                prefaceSeen = true;
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception)
        {
            // Either side went away: the pair is torn down below.
        }
        from.Close(0);
        to.Close(0);
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (Socket socket in _sockets)
            {
                socket.Dispose();
            }
        }
        return default;
    }
}
