using System;
using System.Buffers;

namespace Rpc.Protocol;

/// <summary>
/// Builds one frame in a pooled array: the payload is written through <see cref="IBufferWriter{T}"/> behind 16
/// reserved bytes, and <see cref="Detach"/> fills in the header and hands the array over without a copy. The
/// object itself is reusable: after <see cref="Detach"/> or <see cref="Clear"/> the next frame rents a new array.
/// </summary>
internal sealed class RpcFrameBuffer : IBufferWriter<byte>
{
    private const int MinimumSize = 256;

    private byte[]? _array;
    private int _written = RpcFrameHeader.Size;

    /// <summary>Bytes of payload written so far.</summary>
    public int PayloadLength => _written - RpcFrameHeader.Size;

    public void Advance(int count)
    {
        if (count < 0 || _array is null || _written + count > _array.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => Ensure(sizeHint).AsMemory(_written);

    public Span<byte> GetSpan(int sizeHint = 0) => Ensure(sizeHint).AsSpan(_written);

    private byte[] Ensure(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        byte[]? array = _array;
        if (array is not null && array.Length - _written >= sizeHint)
        {
            return array;
        }
        int needed = checked(_written + sizeHint);
        byte[] next = ArrayPool<byte>.Shared.Rent(Math.Max(needed, array is null ? MinimumSize : checked(array.Length * 2)));
        if (array is not null)
        {
            array.AsSpan(0, _written).CopyTo(next);
            ArrayPool<byte>.Shared.Return(array);
        }
        _array = next;
        return next;
    }

    /// <summary>Writes the header in front of the payload and gives the array away; the buffer is empty again.</summary>
    public RpcOutgoingFrame Detach(RpcFrameType type, RpcFrameFlags flags, uint callId, uint methodId)
    {
        byte[] array = _array ?? ArrayPool<byte>.Shared.Rent(RpcFrameHeader.Size);
        int length = _written;
        new RpcFrameHeader((uint)(length - RpcFrameHeader.Size), type, flags, callId, methodId).Write(array);
        _array = null;
        _written = RpcFrameHeader.Size;
        return new RpcOutgoingFrame(array, length);
    }

    /// <summary>Forgets what was written and returns the array.</summary>
    public void Clear()
    {
        byte[]? array = _array;
        _array = null;
        _written = RpcFrameHeader.Size;
        if (array is not null)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
