using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Rpc.LoadTest.Contracts;

namespace Rpc.LoadTest.Contenders.Raw;

/// <summary>
/// The raw client's writes: frames are appended to one buffer under a lock, and whoever finds no send in progress
/// becomes the sender and drains the buffer with one socket send per batch (double-buffered, so appends go on
/// while a batch is on its way). An idle connection sends on the caller's thread with no hand-off; a busy one
/// coalesces everything appended meanwhile into the next send.
/// </summary>
internal sealed class RawSender
{
    private static readonly byte[] s_text = Encoding.ASCII.GetBytes(Payload.Text);

    private readonly Socket _socket;
    private readonly object _lock = new();
    private byte[] _current = new byte[64 * 1024];
    private byte[] _spare = new byte[64 * 1024];
    private int _currentLength;
    private bool _sending;

    public RawSender(Socket socket) => _socket = socket;

    /// <summary>Appends a request; true when the caller became the sender and must run <see cref="DrainAsync"/>.</summary>
    public bool AppendRequest(uint requestId, int id)
    {
        lock (_lock)
        {
            Span<byte> span = Reserve(RawFrame.HeaderSize + RawFrame.RequestBodySize);
            RawFrame.WriteHeader(span, RawFrame.RequestBodySize, requestId, RawFrameKind.Request);
            BinaryPrimitives.WriteInt32LittleEndian(span.Slice(RawFrame.HeaderSize), id);
            s_text.CopyTo(span.Slice(RawFrame.HeaderSize + 4));
            return TakeSenderRole();
        }
    }

    /// <summary>Appends a stream request; true when the caller became the sender and must run <see cref="DrainAsync"/>.</summary>
    public bool AppendStreamRequest(uint requestId, int count)
    {
        lock (_lock)
        {
            Span<byte> span = Reserve(RawFrame.HeaderSize + 4);
            RawFrame.WriteHeader(span, 4, requestId, RawFrameKind.StreamRequest);
            BinaryPrimitives.WriteInt32LittleEndian(span.Slice(RawFrame.HeaderSize), count);
            return TakeSenderRole();
        }
    }

    /// <summary>
    /// The read loop takes the sender role while it completes a batch of replies, so that the requests the woken
    /// callers append leave together; true when it got the role and must run <see cref="DrainAsync"/> afterwards.
    /// </summary>
    public bool TryBeginBatch()
    {
        lock (_lock)
        {
            return TakeSenderRole();
        }
    }

    /// <summary>Sends until the buffer is empty, then gives up the sender role.</summary>
    public async Task DrainAsync()
    {
        while (true)
        {
            byte[] batch;
            int length;
            lock (_lock)
            {
                if (_currentLength == 0)
                {
                    _sending = false;
                    return;
                }
                batch = _current;
                length = _currentLength;
                _current = _spare;
                _currentLength = 0;
                _spare = batch;
            }
            int sent = 0;
            while (sent < length)
            {
                sent += await _socket.SendAsync(batch.AsMemory(sent, length - sent), SocketFlags.None).ConfigureAwait(false);
            }
        }
    }

    private bool TakeSenderRole()
    {
        if (_sending)
        {
            return false;
        }
        _sending = true;
        return true;
    }

    private Span<byte> Reserve(int size)
    {
        if (_current.Length - _currentLength < size)
        {
            Array.Resize(ref _current, Math.Max(_current.Length * 2, _currentLength + size));
        }
        Span<byte> span = _current.AsSpan(_currentLength, size);
        _currentLength += size;
        return span;
    }
}
