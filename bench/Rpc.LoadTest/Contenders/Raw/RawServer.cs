using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Rpc.LoadTest.Contracts;

namespace Rpc.LoadTest.Contenders.Raw;

/// <summary>
/// The raw echo server: each connection's read loop answers every request of a read batch straight into the
/// output pipe and flushes once per batch. No dispatch, no per-call objects: the floor a framework cannot beat.
/// </summary>
internal sealed class RawServer : IAsyncDisposable
{
    private static readonly byte[] s_replyPrefix = Encoding.ASCII.GetBytes(Payload.ReplyPrefix);

    private readonly Socket _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;

    public RawServer(int port)
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        _listener.Listen(64);
        _acceptLoop = AcceptLoopAsync();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            socket.NoDelay = true;
            _ = ServeAsync(socket);
        }
    }

    private static async Task ServeAsync(Socket socket)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        PipeReader input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 8 * 1024));
        // One large segment: a batch of replies leaves in one write.
        PipeWriter output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024));
        try
        {
            while (true)
            {
                ReadResult result = await input.ReadAsync();
                ReadOnlySequence<byte> buffer = result.Buffer;
                while (RawFrame.TryRead(ref buffer, out uint requestId, out RawFrameKind kind, out ReadOnlySequence<byte> body))
                {
                    if (kind == RawFrameKind.Request)
                    {
                        WriteReply(output, requestId, body);
                    }
                    else if (kind == RawFrameKind.StreamRequest)
                    {
                        await WriteStreamAsync(output, requestId, ReadInt32(body));
                    }
                    else
                    {
                        throw new InvalidDataException($"The raw server got a {kind} frame.");
                    }
                }
                input.AdvanceTo(buffer.Start, buffer.End);
                if (output.UnflushedBytes > 0)
                {
                    await output.FlushAsync();
                }
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // The client went away: the benchmark is over for this connection.
        }
        finally
        {
            await input.CompleteAsync();
            await output.CompleteAsync();
        }
    }

    // The reply is the prefix and the request's 32 text bytes: 40 bytes, as the other contenders' 40-char string.
    private static void WriteReply(PipeWriter output, uint requestId, in ReadOnlySequence<byte> body)
    {
        if (body.Length != RawFrame.RequestBodySize)
        {
            throw new InvalidDataException($"A raw request of {body.Length} bytes.");
        }
        Span<byte> span = output.GetSpan(RawFrame.HeaderSize + RawFrame.ReplyBodySize);
        RawFrame.WriteHeader(span, RawFrame.ReplyBodySize, requestId, RawFrameKind.Reply);
        s_replyPrefix.CopyTo(span.Slice(RawFrame.HeaderSize));
        body.Slice(4).CopyTo(span.Slice(RawFrame.HeaderSize + s_replyPrefix.Length));
        output.Advance(RawFrame.HeaderSize + RawFrame.ReplyBodySize);
    }

    private static async ValueTask WriteStreamAsync(PipeWriter output, uint requestId, int count)
    {
        const int frameSize = RawFrame.HeaderSize + RawFrame.StreamItemBodySize;
        for (int i = 0; i < count; i++)
        {
            Span<byte> span = output.GetSpan(frameSize);
            RawFrame.WriteHeader(span, RawFrame.StreamItemBodySize, requestId, RawFrameKind.StreamItem);
            BinaryPrimitives.WriteInt32LittleEndian(span.Slice(RawFrame.HeaderSize), i);
            BinaryPrimitives.WriteInt64LittleEndian(span.Slice(RawFrame.HeaderSize + 4), i * 7L);
            output.Advance(frameSize);
            if (output.UnflushedBytes >= 32 * 1024)
            {
                await output.FlushAsync();
            }
        }
        RawFrame.WriteHeader(output.GetSpan(RawFrame.HeaderSize), 0, requestId, RawFrameKind.StreamEnd);
        output.Advance(RawFrame.HeaderSize);
        await output.FlushAsync();
    }

    private static int ReadInt32(in ReadOnlySequence<byte> body)
    {
        Span<byte> bytes = stackalloc byte[4];
        body.Slice(0, 4).CopyTo(bytes);
        return BinaryPrimitives.ReadInt32LittleEndian(bytes);
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _listener.Dispose();
        await _acceptLoop;
    }
}
