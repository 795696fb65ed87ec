using System;
using System.Buffers;
using System.Buffers.Binary;

namespace Rpc.Protocol;

/// <summary>
/// Builds one frame in a pooled array: the payload is written through <see cref="IBufferWriter{T}"/> behind 16
/// reserved bytes, and <see cref="Detach"/> fills in the header and hands the array over without a copy; or
/// <see cref="Seal"/> fills it in and the frame is copied out, and <see cref="Reset"/> keeps a small array for the
/// next frame. The object itself is reusable.
/// </summary>
internal sealed class RpcFrameBuffer : IBufferWriter<byte>
{
    /// <summary>The smallest array a buffer rents: room for a small frame.</summary>
    public const int MinimumSize = 256;

    private byte[]? _array;
    private int _written = RpcFrameHeader.Size;

    /// <summary>Bytes of payload written so far.</summary>
    public int PayloadLength => _written - RpcFrameHeader.Size;

    /// <summary>The payload written so far.</summary>
    public ReadOnlySpan<byte> WrittenPayload => _array is null ? default : _array.AsSpan(RpcFrameHeader.Size, PayloadLength);

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
        byte[] next = RpcBufferPool.Rent(Math.Max(needed, array is null ? MinimumSize : checked(array.Length * 2)));
        if (array is not null)
        {
            array.AsSpan(0, _written).CopyTo(next);
            RpcBufferPool.Return(array);
        }
        _array = next;
        return next;
    }

    /// <summary>Writes the header in front of the payload and gives the array away; the buffer is empty again.</summary>
    public RpcOutgoingFrame Detach(RpcFrameType type, RpcFrameFlags flags, uint callId, uint methodId)
    {
        Seal(type, flags, callId, methodId);
        return DetachSealed();
    }

    /// <summary>Writes the header in front of the payload: the buffer holds a whole frame (<see cref="SealedFrame"/>).</summary>
    public RpcFrameBuffer Seal(RpcFrameType type, RpcFrameFlags flags, uint callId, uint methodId)
    {
        _array ??= RpcBufferPool.Rent(RpcFrameHeader.Size);
        new RpcFrameHeader((uint)PayloadLength, type, flags, callId, methodId).Write(_array);
        return this;
    }

    /// <summary>Header and payload of a sealed frame.</summary>
    public ReadOnlySpan<byte> SealedFrame => _array.AsSpan(0, _written);

    /// <summary>Gives the array of a sealed frame away; the buffer is empty again.</summary>
    public RpcOutgoingFrame DetachSealed()
    {
        var frame = new RpcOutgoingFrame(_array!, _written);
        _array = null;
        _written = RpcFrameHeader.Size;
        return frame;
    }

    /// <summary>
    /// Forgets what was written, keeping a small array for the next frame (the buffers of pooled calls then need
    /// no array per call); a large one goes back to the pool.
    /// </summary>
    public void Reset()
    {
        if (_array is { Length: > RpcBufferPool.SmallSize })
        {
            Clear();
        }
        _written = RpcFrameHeader.Size;
    }

    /// <summary>Overwrites four payload bytes at <paramref name="payloadOffset"/> (a length written ahead as a placeholder).</summary>
    public void WriteInt32At(int payloadOffset, int value) =>
        BinaryPrimitives.WriteInt32LittleEndian(_array.AsSpan(RpcFrameHeader.Size + payloadOffset, sizeof(int)), value);

    /// <summary>Puts <paramref name="prefix"/> in front of the payload written so far (moving it).</summary>
    public void InsertAtStart(ReadOnlySpan<byte> prefix)
    {
        if (prefix.IsEmpty)
        {
            return;
        }
        byte[] array = Ensure(prefix.Length);
        array.AsSpan(RpcFrameHeader.Size, PayloadLength).CopyTo(array.AsSpan(RpcFrameHeader.Size + prefix.Length));
        prefix.CopyTo(array.AsSpan(RpcFrameHeader.Size));
        _written += prefix.Length;
    }

    /// <summary>Takes over what <paramref name="other"/> holds, leaving it empty; what this buffer held is released.</summary>
    public void TakeFrom(RpcFrameBuffer other)
    {
        Clear();
        _array = other._array;
        _written = other._written;
        other._array = null;
        other._written = RpcFrameHeader.Size;
    }

    /// <summary>Forgets the payload after its first <paramref name="payloadLength"/> bytes.</summary>
    public void Truncate(int payloadLength)
    {
        if ((uint)payloadLength > (uint)PayloadLength)
        {
            throw new ArgumentOutOfRangeException(nameof(payloadLength));
        }
        _written = RpcFrameHeader.Size + payloadLength;
    }

    /// <summary>Forgets what was written and returns the array.</summary>
    public void Clear()
    {
        byte[]? array = _array;
        _array = null;
        _written = RpcFrameHeader.Size;
        if (array is not null)
        {
            RpcBufferPool.Return(array);
        }
    }
}
