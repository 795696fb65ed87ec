using System;
using System.Buffers;

namespace Rpc.Protocol;

/// <summary>The outcome of <see cref="RpcFrameParser.TryParse"/>.</summary>
internal enum RpcFrameParseStatus
{
    /// <summary>Not even a header yet; read more.</summary>
    NeedHeader,
    /// <summary>A header whose payload has not fully arrived; <c>header</c> is set.</summary>
    NeedPayload,
    /// <summary>A complete frame; <c>header</c> and <c>payload</c> are set and the buffer has moved past it.</summary>
    Frame,
    /// <summary>The header announces more than the size limit; <c>header</c> is set and nothing was buffered.</summary>
    TooLarge,
}

/// <summary>Splits frames off the front of the bytes read so far. Knows frame layout, nothing about calls.</summary>
internal static class RpcFrameParser
{
    /// <summary>
    /// Parses one frame from the front of <paramref name="buffer"/>. The announced length is checked against
    /// <paramref name="maxFrameSize"/> as soon as the header is readable, before the payload is waited for.
    /// </summary>
    public static RpcFrameParseStatus TryParse(ref ReadOnlySequence<byte> buffer, int maxFrameSize, out RpcFrameHeader header, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        if (buffer.Length < RpcFrameHeader.Size)
        {
            header = default;
            return RpcFrameParseStatus.NeedHeader;
        }

        ReadOnlySpan<byte> first = buffer.FirstSpan;
        if (first.Length >= RpcFrameHeader.Size)
        {
            header = RpcFrameHeader.Read(first);
        }
        else
        {
            Span<byte> copy = stackalloc byte[RpcFrameHeader.Size];
            buffer.Slice(0, RpcFrameHeader.Size).CopyTo(copy);
            header = RpcFrameHeader.Read(copy);
        }

        if (header.PayloadLength > (uint)maxFrameSize)
        {
            return RpcFrameParseStatus.TooLarge;
        }
        long frameLength = RpcFrameHeader.Size + (long)header.PayloadLength;
        if (buffer.Length < frameLength)
        {
            return RpcFrameParseStatus.NeedPayload;
        }
        payload = buffer.Slice(RpcFrameHeader.Size, header.PayloadLength);
        buffer = buffer.Slice(frameLength);
        return RpcFrameParseStatus.Frame;
    }
}
