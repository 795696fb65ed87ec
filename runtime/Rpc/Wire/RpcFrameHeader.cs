using System;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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

    // One length check and five stores: every request and response is sealed with this, often inside a proxy
    // method so large that the JIT stops inlining, where the span helpers it was written with became seven calls.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            ThrowTooShort();
        }
        ref byte start = ref MemoryMarshal.GetReference(destination);
        Unsafe.WriteUnaligned(ref start, LittleEndian(PayloadLength));
        Unsafe.Add(ref start, 4) = (byte)Type;
        Unsafe.Add(ref start, 5) = (byte)Flags;
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref start, 6), (ushort)0);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref start, 8), LittleEndian(CallId));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref start, 12), LittleEndian(MethodId));
    }

    private static uint LittleEndian(uint value) => BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);

    [DoesNotReturn]
    private static void ThrowTooShort() => throw new ArgumentException($"A frame header needs {Size} bytes.", "destination");

    /// <summary>Reads a header; the reserved field is ignored so that a later version can use it.</summary>
    public static RpcFrameHeader Read(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadUInt32LittleEndian(source),
        (RpcFrameType)source[4],
        (RpcFrameFlags)source[5],
        BinaryPrimitives.ReadUInt32LittleEndian(source.Slice(8)),
        BinaryPrimitives.ReadUInt32LittleEndian(source.Slice(12)));

    public override string ToString() => $"{Type} call={CallId} method={MethodId} flags={Flags} length={PayloadLength}";
}
