using System;
using System.Buffers.Binary;
using Rpc.Serialization;

namespace Rpc.Protocol;

/// <summary>
/// What may precede a Request's arguments: with <see cref="RpcFrameFlags.HasDeadline"/>, an int64 timeout in
/// microseconds (relative to the moment the server reads the frame); then, with
/// <see cref="RpcFrameFlags.HasMetadata"/>, a metadata block of request headers.
/// </summary>
internal static class RpcRequestPrefix
{
    /// <summary>The largest timeout carried, in microseconds; a later deadline travels as this (about 29,000 years).</summary>
    private const long MaxTimeoutMicroseconds = long.MaxValue / TimeSpan.TicksPerMicrosecond;

    /// <summary>Writes the prefix for <paramref name="timeout"/> and <paramref name="headers"/> and returns the flags that announce it.</summary>
    public static RpcFrameFlags Write(RpcFrameBuffer prefix, TimeSpan? timeout, RpcMetadata? headers, RpcSerializerOptions options, int maxMetadataSize)
    {
        RpcFrameFlags flags = RpcFrameFlags.None;
        if (timeout is { } value)
        {
            long microseconds = Math.Clamp(value.Ticks / TimeSpan.TicksPerMicrosecond, 1, MaxTimeoutMicroseconds);
            BinaryPrimitives.WriteInt64LittleEndian(prefix.GetSpan(sizeof(long)), microseconds);
            prefix.Advance(sizeof(long));
            flags |= RpcFrameFlags.HasDeadline;
        }
        if (headers is { Count: > 0 })
        {
            RpcMetadataCodec.Write(prefix, headers, options, maxMetadataSize);
            flags |= RpcFrameFlags.HasMetadata;
        }
        return flags;
    }

    /// <summary>
    /// Reads the prefix announced by <paramref name="flags"/> and returns the arguments after it. Throws
    /// <see cref="RpcSerializationException"/> when it is malformed and <see cref="RpcException"/> when the metadata
    /// is over the limit.
    /// </summary>
    public static ReadOnlySpan<byte> Read(RpcFrameFlags flags, ReadOnlySpan<byte> payload, RpcSerializerOptions options, int maxMetadataSize, out TimeSpan? timeout, out RpcMetadata? headers)
    {
        timeout = null;
        headers = null;
        if ((flags & RpcFrameFlags.HasDeadline) != 0)
        {
            if (payload.Length < sizeof(long))
            {
                throw new RpcSerializationException("The request's deadline is cut short.");
            }
            long microseconds = BinaryPrimitives.ReadInt64LittleEndian(payload);
            timeout = TimeSpan.FromTicks(Math.Clamp(microseconds, 0, MaxTimeoutMicroseconds) * TimeSpan.TicksPerMicrosecond);
            payload = payload.Slice(sizeof(long));
        }
        if ((flags & RpcFrameFlags.HasMetadata) != 0)
        {
            headers = RpcMetadataCodec.Read(payload, options, maxMetadataSize, out int consumed);
            payload = payload.Slice(consumed);
        }
        return payload;
    }
}
