using System;
using Rpc.Protocol;
using Rpc.Serialization;

namespace Rpc.Fuzzing.Targets;

/// <summary>
/// <see cref="RpcMetadataCodec.Read"/>: documents <see cref="RpcSerializationException"/> for a malformed block and
/// <see cref="RpcException"/>(<see cref="RpcStatusCode.ResourceExhausted"/>) for one over the limit. A block that
/// reads must write back and read again to the same entries.
/// Input: one control byte (size limit, string encoding of the rewrite), then the block.
/// </summary>
public sealed class MetadataTarget : IFuzzTarget
{
    public string Name => "metadata";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }
        byte control = input[0];
        ReadOnlySpan<byte> block = input.Slice(1);
        int maxSize = (control & 1) != 0 ? 64 : RpcMetadataCodec.DefaultMaxSize;
        // UTF-16 carries every string that was read, unpaired surrogates included; UTF-8 may refuse those.
        RpcSerializerOptions rewrite = (control & 2) != 0 ? RpcSerializerOptions.Utf8 : RpcSerializerOptions.Utf16;

        RpcMetadata metadata;
        int consumed;
        try
        {
            metadata = RpcMetadataCodec.Read(block, RpcSerializerOptions.Default, maxSize, out consumed);
        }
        catch (RpcSerializationException)
        {
            return;
        }
        catch (RpcException ex) when (ex.StatusCode == RpcStatusCode.ResourceExhausted)
        {
            return;
        }

        Check(consumed >= sizeof(int) && consumed <= block.Length, $"consumed {consumed} of {block.Length} bytes");
        Check(consumed == RpcMetadataCodec.Measure(block), "Read and Measure disagree on the block's size");
        Check(metadata.Count <= RpcMetadata.MaxEntries, $"{metadata.Count} entries read");
        foreach (RpcMetadataEntry entry in metadata)
        {
            Check(RpcMetadata.IsWireKey(entry.Key), $"the key '{entry.Key}' was accepted");
            Check(entry.IsBinary != (entry.StringValue is not null), "an entry with both or neither value");
        }

        var buffer = new RpcFrameBuffer();
        try
        {
            try
            {
                RpcMetadataCodec.Write(buffer, metadata, rewrite, int.MaxValue);
            }
            catch (RpcSerializationException) when (rewrite == RpcSerializerOptions.Utf8)
            {
                return; // A string with an unpaired surrogate has no UTF-8 form.
            }
            RpcMetadata again = RpcMetadataCodec.Read(buffer.WrittenPayload, RpcSerializerOptions.Default, int.MaxValue, out int rereadLength);
            Check(rereadLength == buffer.PayloadLength, "a rewritten block read back to another length");
            Check(again.Count == metadata.Count, "a rewritten block read back with another entry count");
            for (int i = 0; i < metadata.Count; i++)
            {
                RpcMetadataEntry a = metadata[i], b = again[i];
                Check(a.Key == b.Key && a.StringValue == b.StringValue
                    && (a.BinaryValue is null ? b.BinaryValue is null : b.BinaryValue is not null && a.BinaryValue.AsSpan().SequenceEqual(b.BinaryValue)),
                    $"entry {i} ('{a.Key}') read back differently");
            }
        }
        finally
        {
            buffer.Clear();
        }
    }

    private static void Check(bool condition, string broken)
    {
        if (!condition)
        {
            throw new FuzzInvariantException("Metadata codec: " + broken + ".");
        }
    }
}
