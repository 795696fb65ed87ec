using System;
using System.Buffers.Binary;

namespace Rpc.Protocol;

/// <summary>
/// The 16 bytes in front of every frame, little-endian:
/// uint32 payloadLength | byte type | byte flags | uint16 reserved | uint32 callId | uint32 methodId.
/// </summary>
internal readonly struct RpcFrameHeader
{
    /// <summary>The header's size on the wire.</summary>
    public const int Size = 16;

    public RpcFrameHeader(uint payloadLength, RpcFrameType type, RpcFrameFlags flags, uint callId, uint methodId)
    {
        PayloadLength = payloadLength;
        Type = type;
        Flags = flags;
        CallId = callId;
        MethodId = methodId;
    }

    /// <summary>The payload's length in bytes, not counting the header.</summary>
    public uint PayloadLength { get; }

    public RpcFrameType Type { get; }

    public RpcFrameFlags Flags { get; }

    /// <summary>The call the frame belongs to; 0 for frames about the connection (Ping, Pong).</summary>
    public uint CallId { get; }

    /// <summary>The method a request calls; 0 in other frames.</summary>
    public uint MethodId { get; }

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, PayloadLength);
        destination[4] = (byte)Type;
        destination[5] = (byte)Flags;
        BinaryPrimitives.WriteUInt16LittleEndian(destination.Slice(6), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(8), CallId);
        BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(12), MethodId);
    }

    /// <summary>Reads a header; the reserved field is ignored so that a later version can use it.</summary>
    public static RpcFrameHeader Read(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadUInt32LittleEndian(source),
        (RpcFrameType)source[4],
        (RpcFrameFlags)source[5],
        BinaryPrimitives.ReadUInt32LittleEndian(source.Slice(8)),
        BinaryPrimitives.ReadUInt32LittleEndian(source.Slice(12)));

    public override string ToString() => $"{Type} call={CallId} method={MethodId} flags={Flags} length={PayloadLength}";
}
