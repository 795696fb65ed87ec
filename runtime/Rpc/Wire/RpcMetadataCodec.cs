using System;
using System.Buffers.Binary;
using Rpc.Serialization;

namespace Rpc.Protocol;

/// <summary>
/// Encodes and decodes a metadata block (request headers, response headers, trailers):
/// <c>int32 length</c> (bytes after this field) | <c>int32 count</c> | count x (<c>string key</c> | <c>byte kind</c>
/// | kind 0: <c>string value</c>, kind 1: <c>int32 length, bytes</c>). Strings are written as
/// <see cref="RpcWriter.WriteString"/> writes them. Lengths and counts are checked against the limit and the bytes
/// that remain before anything is allocated.
/// </summary>
internal static class RpcMetadataCodec
{
    /// <summary>The default limit of a block's length, in bytes.</summary>
    public const int DefaultMaxSize = 16 * 1024;

    private const byte StringKind = 0;
    private const byte BinaryKind = 1;

    // The smallest entry: a one-character key (4 + 4 + 1 as UTF-8), a kind byte and an empty binary value (4).
    private const int MinEntrySize = 9 + 1 + 4;

    /// <summary>
    /// Appends a block for <paramref name="metadata"/> to <paramref name="buffer"/>. Throws
    /// <see cref="RpcException"/>(<see cref="RpcStatusCode.ResourceExhausted"/>) when it exceeds
    /// <paramref name="maxSize"/> or <see cref="RpcMetadata.MaxEntries"/>; the buffer then holds a partial block.
    /// </summary>
    public static void Write(RpcFrameBuffer buffer, RpcMetadata metadata, RpcSerializerOptions options, int maxSize)
    {
        if (metadata.Count > RpcMetadata.MaxEntries)
        {
            throw new RpcException(RpcStatusCode.ResourceExhausted, $"The metadata has {metadata.Count} entries, over the limit of {RpcMetadata.MaxEntries}.");
        }
        int start = buffer.PayloadLength;
        var writer = new RpcWriter(buffer, options);
        writer.WriteUnmanaged(0);
        writer.WriteUnmanaged(metadata.Count);
        foreach (RpcMetadataEntry entry in metadata)
        {
            writer.WriteString(entry.Key);
            if (entry.IsBinary)
            {
                writer.WriteUnmanaged(BinaryKind);
                writer.WriteUnmanaged(entry.BinaryValue!.Length);
                writer.WriteRawBytes(entry.BinaryValue);
            }
            else
            {
                writer.WriteUnmanaged(StringKind);
                writer.WriteString(entry.StringValue);
            }
        }
        writer.Flush();
        int length = buffer.PayloadLength - start - sizeof(int);
        if (length > maxSize)
        {
            throw new RpcException(RpcStatusCode.ResourceExhausted, $"The metadata takes {length} bytes, over the limit of {maxSize} bytes.");
        }
        buffer.WriteInt32At(start, length);
    }

    /// <summary>The size of the block at the start of <paramref name="payload"/>, length field included, without decoding it.</summary>
    public static int Measure(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < sizeof(int))
        {
            throw new RpcSerializationException("A metadata block is cut short: its length is missing.");
        }
        int length = BinaryPrimitives.ReadInt32LittleEndian(payload);
        if (length < sizeof(int) || length > payload.Length - sizeof(int))
        {
            throw new RpcSerializationException($"A metadata block claims {length} bytes; {payload.Length - sizeof(int)} follow.");
        }
        return sizeof(int) + length;
    }

    /// <summary>
    /// Decodes the block at the start of <paramref name="payload"/>. Throws <see cref="RpcException"/>
    /// (<see cref="RpcStatusCode.ResourceExhausted"/>) when it is over <paramref name="maxSize"/>, and
    /// <see cref="RpcSerializationException"/> when it is malformed.
    /// </summary>
    public static RpcMetadata Read(ReadOnlySpan<byte> payload, RpcSerializerOptions options, int maxSize, out int consumed)
    {
        consumed = Measure(payload);
        int length = consumed - sizeof(int);
        if (length > maxSize)
        {
            throw new RpcException(RpcStatusCode.ResourceExhausted, $"The metadata takes {length} bytes, over the limit of {maxSize} bytes.");
        }
        var reader = new RpcReader(payload.Slice(sizeof(int), length), options);
        int count = reader.ReadUnmanaged<int>();
        if (count < 0 || count > RpcMetadata.MaxEntries)
        {
            throw new RpcException(RpcStatusCode.ResourceExhausted, $"The metadata claims {count} entries; the limit is {RpcMetadata.MaxEntries}.");
        }
        if ((long)count * MinEntrySize > reader.Remaining)
        {
            throw new RpcSerializationException($"The metadata claims {count} entries in {reader.Remaining} bytes.");
        }
        var metadata = new RpcMetadata();
        for (int i = 0; i < count; i++)
        {
            string? key = reader.ReadString();
            if (key is null || !RpcMetadata.IsWireKey(key))
            {
                throw new RpcSerializationException($"Metadata entry {i} has an invalid key.");
            }
            byte kind = reader.ReadUnmanaged<byte>();
            if (kind == StringKind)
            {
                string value = reader.ReadString() ?? throw new RpcSerializationException($"Metadata entry '{key}' has a null value.");
                metadata.AddValidated(new RpcMetadataEntry(key, value, null));
            }
            else if (kind == BinaryKind)
            {
                int valueLength = reader.ReadUnmanaged<int>();
                if (valueLength < 0 || valueLength > reader.Remaining)
                {
                    throw new RpcSerializationException($"Metadata entry '{key}' claims {valueLength} bytes; {reader.Remaining} remain.");
                }
                metadata.AddValidated(new RpcMetadataEntry(key, null, reader.ReadRawBytes(valueLength).ToArray()));
            }
            else
            {
                throw new RpcSerializationException($"Metadata entry '{key}' has the unknown kind {kind}.");
            }
        }
        if (reader.Remaining != 0)
        {
            throw new RpcSerializationException($"A metadata block has {reader.Remaining} bytes after its last entry.");
        }
        return metadata;
    }
}
