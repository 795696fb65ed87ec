using System;
using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Protocol;
using Rpc.Transport;

namespace Rpc.Tests.Support;

/// <summary>A connection that speaks bytes, not calls: for sending what a well-behaved client never would.</summary>
internal sealed class RawConnection : IAsyncDisposable
{
    private readonly RpcTransportConnection _transport;

    private RawConnection(RpcTransportConnection transport) => _transport = transport;

    public static async Task<RawConnection> ConnectAsync(EndPoint endPoint) =>
        new(await RpcTransport.ConnectAsync(endPoint, CancellationToken.None).AsTask().WaitAsync(TestHost.Timeout));

    public static byte[] Preface()
    {
        var pipe = new Pipe();
        RpcPreface.Write(pipe.Writer);
        pipe.Writer.FlushAsync().AsTask().GetAwaiter().GetResult();
        pipe.Reader.TryRead(out ReadResult result);
        byte[] bytes = result.Buffer.ToArray();
        pipe.Reader.AdvanceTo(result.Buffer.End);
        return bytes;
    }

    public static byte[] FrameHeader(uint payloadLength, byte type, uint callId, uint methodId, byte flags = 0)
    {
        var bytes = new byte[RpcFrameHeader.Size];
        new RpcFrameHeader(payloadLength, (RpcFrameType)type, (RpcFrameFlags)flags, callId, methodId).Write(bytes);
        return bytes;
    }

    /// <summary>A whole frame: header and payload.</summary>
    public static byte[] Frame(byte type, uint callId, uint methodId, byte flags, ReadOnlySpan<byte> payload)
    {
        var bytes = new byte[RpcFrameHeader.Size + payload.Length];
        new RpcFrameHeader((uint)payload.Length, (RpcFrameType)type, (RpcFrameFlags)flags, callId, methodId).Write(bytes);
        payload.CopyTo(bytes.AsSpan(RpcFrameHeader.Size));
        return bytes;
    }

    /// <summary>Connects and exchanges prefaces: a connection ready for frames.</summary>
    public static async Task<RawConnection> ConnectAndHandshakeAsync(EndPoint endPoint)
    {
        RawConnection raw = await ConnectAsync(endPoint);
        try
        {
            await raw.HandshakeAsync();
            return raw;
        }
        catch
        {
            await raw.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends the preface and reads the server's.</summary>
    public async Task HandshakeAsync()
    {
        await SendAsync(Preface());
        if (await ReadExactAsync(RpcPreface.Size) is null)
        {
            throw new InvalidOperationException("The server closed before its preface.");
        }
    }

    /// <summary>Reads one frame; null if the peer closed first.</summary>
    public async Task<(RpcFrameHeader Header, byte[] Payload)?> ReadFrameAsync()
    {
        byte[]? header = await ReadExactAsync(RpcFrameHeader.Size);
        if (header is null)
        {
            return null;
        }
        RpcFrameHeader parsed = RpcFrameHeader.Read(header);
        byte[]? payload = parsed.PayloadLength == 0 ? Array.Empty<byte>() : await ReadExactAsync((int)parsed.PayloadLength);
        return payload is null ? null : (parsed, payload);
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        await _transport.Output.WriteAsync(bytes).AsTask().WaitAsync(TestHost.Timeout);
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes; null if the peer closed first.</summary>
    public async Task<byte[]?> ReadExactAsync(int count)
    {
        while (true)
        {
            ReadResult result = await _transport.Input.ReadAsync().AsTask().WaitAsync(TestHost.Timeout);
            if (result.Buffer.Length >= count)
            {
                byte[] bytes = result.Buffer.Slice(0, count).ToArray();
                _transport.Input.AdvanceTo(result.Buffer.GetPosition(count));
                return bytes;
            }
            _transport.Input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    /// <summary>Reads until the peer closes; returns everything it sent. Throws on timeout, so a server that keeps the connection open fails the test.</summary>
    public async Task<byte[]> ReadUntilClosedAsync()
    {
        using var received = new System.IO.MemoryStream();
        try
        {
            while (true)
            {
                ReadResult result = await _transport.Input.ReadAsync().AsTask().WaitAsync(TestHost.Timeout);
                foreach (ReadOnlyMemory<byte> segment in result.Buffer)
                {
                    received.Write(segment.Span);
                }
                _transport.Input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (System.IO.IOException)
        {
            // A reset is a close too.
        }
        return received.ToArray();
    }

    public ValueTask DisposeAsync() => _transport.DisposeAsync();
}
