using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Rpc.Protocol;

namespace Rpc.IntegrationTests.Support;

/// <summary>How a <see cref="ChaosProxy"/> misbehaves; every connection it carries gets the same faults.</summary>
internal sealed record ChaosFaults
{
    /// <summary>Added before each chunk is forwarded, each way.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Up to this much more, drawn per chunk: chunks never overtake each other, as on one TCP stream.</summary>
    public TimeSpan Jitter { get; init; }

    /// <summary>When set, bytes are forwarded in writes of this many bytes (1: one byte per segment).</summary>
    public int? SliceSize { get; init; }

    /// <summary>When set, each direction of each connection forwards at most this many bytes per second.</summary>
    public int? BytesPerSecond { get; init; }

    /// <summary>
    /// When set, the connection is reset (RST, not FIN) halfway through the N-th frame the server sends after its
    /// preface: the client has part of a frame and then nothing. Only the first connection is reset.
    /// </summary>
    public int? ResetInServerFrame { get; init; }
}

/// <summary>
/// A TCP proxy on loopback that injects the faults networks have: latency with jitter, one-byte slices, a
/// bandwidth cap, a reset in the middle of a frame, a blackhole. Counts its open connections, so a test can check
/// that everything it carried was closed.
/// </summary>
internal sealed class ChaosProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly ChaosFaults _faults;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = new();
    private int _openConnections;
    private int _resetsLeft;
    private bool _blackhole;
    private int _resets;

    public ChaosProxy(IPEndPoint target, ChaosFaults faults)
    {
        _target = target;
        _faults = faults;
        _resetsLeft = faults.ResetInServerFrame is null ? 0 : 1;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Connections accepted and not yet closed on both sides.</summary>
    public int OpenConnections => Volatile.Read(ref _openConnections);

    /// <summary>
    /// While true, bytes are read and dropped both ways and connections stay open: a peer that vanished. A close
    /// is still passed on, so that a test can check that everything closes.
    /// </summary>
    public bool Blackhole
    {
        get => Volatile.Read(ref _blackhole);
        set => Volatile.Write(ref _blackhole, value);
    }

    /// <summary>Connections the proxy reset mid-frame.</summary>
    public int Resets => Volatile.Read(ref _resets);

    private async Task AcceptLoopAsync()
    {
        int connectionNumber = 0;
        while (await ProxyConnections.AcceptNextAsync(_listener, _target, _stop.Token) is (Socket inbound, Socket outbound))
        {
            // Slices must leave as separate segments, not be coalesced again by Nagle's algorithm.
            inbound.NoDelay = true;
            outbound.NoDelay = true;
            lock (_sockets)
            {
                _sockets.Add(inbound);
                _sockets.Add(outbound);
            }
            Interlocked.Increment(ref _openConnections);
            var pair = new Pair(inbound, outbound);
            int? resetAt = _faults.ResetInServerFrame is { } frame && Interlocked.Decrement(ref _resetsLeft) >= 0 ? frame : null;
            var random = new Random(++connectionNumber);
            Task up = PumpAsync(inbound, outbound, pair, null, new Random(random.Next()));
            Task down = PumpAsync(outbound, inbound, pair, resetAt, new Random(random.Next()));
            _ = Task.WhenAll(up, down).ContinueWith(_ => Interlocked.Decrement(ref _openConnections), TaskScheduler.Default);
        }
    }

    private async Task PumpAsync(Socket from, Socket to, Pair pair, int? resetInFrame, Random random)
    {
        var buffer = new byte[16 * 1024];
        var frames = resetInFrame is { } target ? new FrameCounter(target) : null;
        long forwarded = 0;
        long started = Environment.TickCount64;
        try
        {
            while (true)
            {
                int read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    break;
                }
                if (Blackhole)
                {
                    continue;
                }
                if (_faults.Latency > TimeSpan.Zero || _faults.Jitter > TimeSpan.Zero)
                {
                    await Task.Delay(_faults.Latency + _faults.Jitter * random.NextDouble(), _stop.Token);
                }
                int length = read;
                bool reset = false;
                if (frames is not null && frames.CutPoint(buffer.AsSpan(0, read)) is { } cut)
                {
                    length = cut;
                    reset = true;
                }
                int slice = _faults.SliceSize ?? length;
                for (int offset = 0; offset < length; offset += slice)
                {
                    int count = Math.Min(slice, length - offset);
                    await to.SendAsync(buffer.AsMemory(offset, count), SocketFlags.None, _stop.Token);
                    forwarded += count;
                    if (_faults.BytesPerSecond is { } rate)
                    {
                        long due = started + forwarded * 1000 / rate;
                        long wait = due - Environment.TickCount64;
                        if (wait > 0)
                        {
                            await Task.Delay(TimeSpan.FromMilliseconds(wait), _stop.Token);
                        }
                    }
                }
                if (reset)
                {
                    Interlocked.Increment(ref _resets);
                    pair.Reset();
                    return;
                }
            }
        }
        catch (Exception)
        {
            // Either side went away: the pair is torn down below.
        }
        pair.Close();
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

    /// <summary>Both sockets of one proxied connection, closed together.</summary>
    private sealed class Pair(Socket inbound, Socket outbound)
    {
        /// <summary>Ends both with a RST: linger on with a zero timeout discards what is unsent.</summary>
        public void Reset()
        {
            foreach (Socket socket in new[] { inbound, outbound })
            {
                try
                {
                    socket.LingerState = new LingerOption(true, 0);
                }
                catch (Exception)
                {
                }
                socket.Close();
            }
        }

        public void Close()
        {
            inbound.Close(0);
            outbound.Close(0);
        }
    }

    /// <summary>Follows the frame boundaries of the server's byte stream to find the middle of its N-th frame.</summary>
    private sealed class FrameCounter(int targetFrame)
    {
        private readonly byte[] _header = new byte[RpcFrameHeader.Size];
        private long _prefaceLeft = RpcPreface.Size;
        private int _headerFilled;
        private long _payloadLeft;
        private long _payloadLength;
        private int _frames;

        /// <summary>How many bytes of <paramref name="chunk"/> to forward before the reset; null to forward it all.</summary>
        public int? CutPoint(ReadOnlySpan<byte> chunk)
        {
            int at = 0;
            while (at < chunk.Length)
            {
                if (_prefaceLeft > 0)
                {
                    int take = (int)Math.Min(_prefaceLeft, chunk.Length - at);
                    _prefaceLeft -= take;
                    at += take;
                }
                else if (_headerFilled < RpcFrameHeader.Size)
                {
                    _header[_headerFilled++] = chunk[at++];
                    if (_headerFilled == RpcFrameHeader.Size)
                    {
                        _payloadLength = _payloadLeft = BinaryPrimitives.ReadUInt32LittleEndian(_header);
                        if (++_frames == targetFrame)
                        {
                            // Halfway through the payload, or inside the header when there is none.
                            return _payloadLength >= 2 ? (int)Math.Min(chunk.Length, at + _payloadLength / 2) : Math.Max(0, at - RpcFrameHeader.Size / 2);
                        }
                        if (_payloadLeft == 0)
                        {
                            _headerFilled = 0;
                        }
                    }
                }
                else
                {
                    int take = (int)Math.Min(_payloadLeft, chunk.Length - at);
                    _payloadLeft -= take;
                    at += take;
                    if (_payloadLeft == 0)
                    {
                        _headerFilled = 0;
                    }
                }
            }
            return null;
        }
    }
}
