using System;
using System.Buffers;
using System.Buffers.Binary;
using Rpc.Serialization;

namespace Rpc.Protocol;

/// <summary>
/// Encodes and decodes the frames that are not a call's arguments or result: Error, GoAway, Cancel, Ping and
/// Pong. Status payloads are int32 status, string message, and (Error only) string? detail, written with
/// <see cref="RpcWriter"/> so that they read like every other payload.
/// </summary>
internal static class RpcControlFrames
{
    /// <summary>The payload of a keepalive Ping ("keepaliv"): any payload is echoed, this one only names the purpose.</summary>
    public static ReadOnlySpan<byte> KeepAlivePing => "keepaliv"u8;

    /// <summary>The payload of the Ping a draining server sends after its first GoAway ("draining"): its Pong ends phase one.</summary>
    public static ReadOnlySpan<byte> DrainPing => "draining"u8;

    /// <summary>The last call id of a GoAway that only says "no new calls": every call sent so far may still be accepted.</summary>
    public const uint NoNewCalls = uint.MaxValue;

    /// <summary>The longest detail an Error frame carries; a stack trace longer than this is cut.</summary>
    public const int MaxDetailLength = 32 * 1024;

    /// <summary>Writes an Error payload into <paramref name="buffer"/> and detaches the frame (see <see cref="WriteError"/>).</summary>
    public static RpcOutgoingFrame CreateError(RpcFrameBuffer buffer, RpcSerializerOptions options, uint callId, uint methodId, RpcStatusCode status, string message, string? detail, RpcFrameFlags flags = RpcFrameFlags.None) =>
        WriteError(buffer, options, callId, methodId, status, message, detail, flags).DetachSealed();

    /// <summary>
    /// Writes an Error payload into <paramref name="buffer"/> and seals the frame there. With
    /// <see cref="RpcFrameFlags.HasMetadata"/> in <paramref name="flags"/>, the buffer already holds the trailers.
    /// </summary>
    public static RpcFrameBuffer WriteError(RpcFrameBuffer buffer, RpcSerializerOptions options, uint callId, uint methodId, RpcStatusCode status, string message, string? detail, RpcFrameFlags flags = RpcFrameFlags.None)
    {
        if (detail is { Length: > MaxDetailLength })
        {
            detail = detail.Substring(0, MaxDetailLength);
        }
        WriteStatus(buffer, options, status, message, detail, includeDetail: true);
        return buffer.Seal(RpcFrameType.Error, flags, callId, methodId);
    }

    /// <summary>Creates a WindowUpdate granting <paramref name="increment"/> bytes of credit on <paramref name="callId"/>'s stream.</summary>
    public static RpcOutgoingFrame CreateWindowUpdate(uint callId, uint increment)
    {
        byte[] array = RpcBufferPool.Rent(RpcFrameHeader.Size + sizeof(uint));
        new RpcFrameHeader(sizeof(uint), RpcFrameType.WindowUpdate, RpcFrameFlags.None, callId, 0).Write(array);
        BinaryPrimitives.WriteUInt32LittleEndian(array.AsSpan(RpcFrameHeader.Size), increment);
        return new RpcOutgoingFrame(array, RpcFrameHeader.Size + sizeof(uint));
    }

    /// <summary>Reads a WindowUpdate's increment; throws <see cref="RpcProtocolException"/> unless it is 4 bytes holding 1 or more.</summary>
    public static uint ReadWindowUpdate(ReadOnlySpan<byte> payload)
    {
        uint increment = payload.Length == sizeof(uint) ? BinaryPrimitives.ReadUInt32LittleEndian(payload) : 0;
        if (increment == 0)
        {
            throw new RpcProtocolException(RpcStatusCode.Internal, "A WindowUpdate must carry a uint32 increment of at least 1.");
        }
        return increment;
    }

    /// <summary>Creates a GoAway frame; <paramref name="lastCallId"/> is the last call the sender accepted.</summary>
    public static RpcOutgoingFrame CreateGoAway(RpcSerializerOptions options, uint lastCallId, RpcStatusCode status, string message)
    {
        var buffer = new RpcFrameBuffer();
        WriteStatus(buffer, options, status, message, null, includeDetail: false);
        return buffer.Detach(RpcFrameType.GoAway, RpcFrameFlags.None, lastCallId, 0);
    }

    /// <summary>Creates a frame with no payload (Cancel, a client's StreamEnd).</summary>
    public static RpcOutgoingFrame CreateEmpty(RpcFrameType type, uint callId, uint methodId, RpcFrameFlags flags = RpcFrameFlags.None)
    {
        byte[] array = RpcBufferPool.Rent(RpcFrameHeader.Size);
        new RpcFrameHeader(0, type, flags, callId, methodId).Write(array);
        return new RpcOutgoingFrame(array, RpcFrameHeader.Size);
    }

    /// <summary>Creates a Ping or Pong carrying <paramref name="payload"/> (opaque; a Pong echoes its Ping's).</summary>
    public static RpcOutgoingFrame CreatePingOrPong(RpcFrameType type, ReadOnlySpan<byte> payload)
    {
        byte[] array = RpcBufferPool.Rent(RpcFrameHeader.Size + payload.Length);
        new RpcFrameHeader((uint)payload.Length, type, RpcFrameFlags.None, 0, 0).Write(array);
        payload.CopyTo(array.AsSpan(RpcFrameHeader.Size));
        return new RpcOutgoingFrame(array, RpcFrameHeader.Size + payload.Length);
    }

    /// <summary>Reads an Error payload; throws <see cref="RpcSerializationException"/> when it is malformed.</summary>
    public static (RpcStatusCode Status, string Message, string? Detail) ReadError(ReadOnlySpan<byte> payload, RpcSerializerOptions options)
    {
        var reader = new RpcReader(payload, options);
        var status = (RpcStatusCode)reader.ReadUnmanaged<int>();
        string message = reader.ReadString() ?? string.Empty;
        string? detail = reader.Remaining > 0 ? reader.ReadString() : null;
        return (status, message, detail);
    }

    /// <summary>Reads a GoAway payload; throws <see cref="RpcSerializationException"/> when it is malformed.</summary>
    public static (RpcStatusCode Status, string Message) ReadGoAway(ReadOnlySpan<byte> payload, RpcSerializerOptions options)
    {
        var reader = new RpcReader(payload, options);
        var status = (RpcStatusCode)reader.ReadUnmanaged<int>();
        string message = reader.ReadString() ?? string.Empty;
        return (status, message);
    }

    private static void WriteStatus(RpcFrameBuffer buffer, RpcSerializerOptions options, RpcStatusCode status, string message, string? detail, bool includeDetail)
    {
        int start = buffer.PayloadLength;
        try
        {
            Write(buffer, options, status, message, detail, includeDetail);
        }
        catch (RpcSerializationException)
        {
            // A message with an unpaired surrogate cannot be UTF-8; UTF-16 carries any string and readers accept both.
            buffer.Truncate(start);
            Write(buffer, RpcSerializerOptions.Utf16, status, message, detail, includeDetail);
        }
    }

    private static void Write(RpcFrameBuffer buffer, RpcSerializerOptions options, RpcStatusCode status, string message, string? detail, bool includeDetail)
    {
        var writer = new RpcWriter(buffer, options);
        writer.WriteUnmanaged((int)status);
        writer.WriteString(message);
        if (includeDetail)
        {
            writer.WriteString(detail);
        }
        writer.Flush();
    }
}
