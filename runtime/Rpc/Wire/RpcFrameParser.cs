using System;
using System.Buffers;

namespace Rpc.Protocol;

/// <summary>The outcome of parsing a frame with <see cref="RpcFrameParser"/>.</summary>
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

/// <summary>
/// The frame layout's rules, in one place: a header, then a payload of the announced length, which must not exceed
/// the size limit (checked as soon as the header is readable, before the payload is waited for). Knows nothing about
/// calls; <see cref="RpcFrameReader"/> is the connection's loop over it.
/// </summary>
internal static class RpcFrameParser
{
    /// <summary>Parses the frame at the front of <paramref name="span"/>; the payload follows the header when it is <see cref="RpcFrameParseStatus.Frame"/>.</summary>
    public static RpcFrameParseStatus TryParse(ReadOnlySpan<byte> span, int maxFrameSize, out RpcFrameHeader header)
    {
        if (span.Length < RpcFrameHeader.Size)
        {
            header = default;
            return RpcFrameParseStatus.NeedHeader;
        }
        header = RpcFrameHeader.Read(span);
        return Classify(header, span.Length, maxFrameSize);
    }

    /// <summary>
    /// Parses one frame from the front of <paramref name="buffer"/>, and on <see cref="RpcFrameParseStatus.Frame"/>
    /// moves the buffer past it.
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

        RpcFrameParseStatus status = Classify(header, buffer.Length, maxFrameSize);
        if (status == RpcFrameParseStatus.Frame)
        {
            payload = buffer.Slice(RpcFrameHeader.Size, header.PayloadLength);
            buffer = buffer.Slice(RpcFrameHeader.Size + (long)header.PayloadLength);
        }
        return status;
    }

    // What a readable header means, given how many bytes (header included) have arrived.
    private static RpcFrameParseStatus Classify(in RpcFrameHeader header, long available, int maxFrameSize)
    {
        if (header.PayloadLength > (uint)maxFrameSize)
        {
            return RpcFrameParseStatus.TooLarge;
        }
        return available - RpcFrameHeader.Size < header.PayloadLength ? RpcFrameParseStatus.NeedPayload : RpcFrameParseStatus.Frame;
    }
}
