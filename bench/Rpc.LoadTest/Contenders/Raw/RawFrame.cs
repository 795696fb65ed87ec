using System.Buffers;
using System.Buffers.Binary;

namespace Rpc.LoadTest.Contenders.Raw;

/// <summary>What a raw frame carries.</summary>
internal enum RawFrameKind : byte
{
    /// <summary>Body: int32 id, then the 32 ASCII bytes of the text.</summary>
    Request = 1,
    /// <summary>Body: the 40 ASCII bytes of the reply.</summary>
    Reply = 2,
    /// <summary>Body: int32 item count. The server answers with that many items, then an end.</summary>
    StreamRequest = 3,
    /// <summary>Body: int32 sequence, int64 value.</summary>
    StreamItem = 4,
    /// <summary>No body.</summary>
    StreamEnd = 5,
}

/// <summary>
/// The raw contender's framing, as small as a multiplexed protocol can be: a 9-byte header (uint32 body length,
/// uint32 request id, byte kind, little-endian) and the body. No versioning, no errors, no cancellation.
/// </summary>
internal static class RawFrame
{
    public const int HeaderSize = 9;

    /// <summary>The largest body either side accepts; anything bigger is a broken peer.</summary>
    public const int MaxBodySize = 1024;

    public const int RequestBodySize = 4 + 32;
    public const int ReplyBodySize = 40;
    public const int StreamItemBodySize = 4 + 8;

    public static void WriteHeader(Span<byte> destination, int bodyLength, uint requestId, RawFrameKind kind)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, bodyLength);
        BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(4), requestId);
        destination[8] = (byte)kind;
    }

    /// <summary>Splits one frame off the front of <paramref name="buffer"/>; false when it has not fully arrived.</summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out uint requestId, out RawFrameKind kind, out ReadOnlySequence<byte> body)
    {
        requestId = 0;
        kind = 0;
        body = default;
        if (buffer.Length < HeaderSize)
        {
            return false;
        }
        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        int bodyLength = BinaryPrimitives.ReadInt32LittleEndian(header);
        if ((uint)bodyLength > MaxBodySize)
        {
            throw new InvalidDataException($"A raw frame announced {bodyLength} bytes.");
        }
        if (buffer.Length < HeaderSize + bodyLength)
        {
            return false;
        }
        requestId = BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(4));
        kind = (RawFrameKind)header[8];
        body = buffer.Slice(HeaderSize, bodyLength);
        buffer = buffer.Slice(HeaderSize + bodyLength);
        return true;
    }
}
