using System;

namespace Rpc.Protocol;

/// <summary>
/// A complete frame (header and payload), or several small ones gathered by the writer, in an array rented from
/// <see cref="RpcBufferPool"/>, on its way to the connection's writer. Whoever holds it last returns the array
/// with <see cref="Release"/>.
/// </summary>
internal readonly struct RpcOutgoingFrame
{
    public RpcOutgoingFrame(byte[] buffer, int length)
    {
        Buffer = buffer;
        Length = length;
    }

    public byte[] Buffer { get; }

    /// <summary>Header plus payload.</summary>
    public int Length { get; }

    public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);

    public void Release() => RpcBufferPool.Return(Buffer);
}
