using System;
using Rpc.Protocol;
using Rpc.Serialization;

namespace Rpc.Fuzzing.Targets;

/// <summary>
/// <see cref="RpcRequestPrefix.Read"/>: documents <see cref="RpcSerializationException"/> for a malformed prefix and
/// <see cref="RpcException"/> when the metadata is over the limit. What it returns must be the tail of its input,
/// and a deadline must never be negative.
/// Input: one byte of frame flags, then the Request payload.
/// </summary>
public sealed class RequestPrefixTarget : IFuzzTarget
{
    public string Name => "request-prefix";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }
        var flags = (RpcFrameFlags)input[0];
        ReadOnlySpan<byte> payload = input.Slice(1);
        ReadOnlySpan<byte> arguments;
        TimeSpan? timeout;
        RpcMetadata? headers;
        try
        {
            arguments = RpcRequestPrefix.Read(flags, payload, RpcSerializerOptions.Default, RpcMetadataCodec.DefaultMaxSize, out timeout, out headers);
        }
        catch (RpcSerializationException)
        {
            return;
        }
        catch (RpcException)
        {
            return;
        }

        Check(arguments.Length <= payload.Length && payload.Slice(payload.Length - arguments.Length).SequenceEqual(arguments), "the arguments are not the payload's tail");
        Check(((flags & RpcFrameFlags.HasDeadline) != 0) == timeout.HasValue, "a deadline without the flag, or none with it");
        Check(timeout is not { } value || value >= TimeSpan.Zero, "a negative deadline");
        Check(((flags & RpcFrameFlags.HasMetadata) != 0) == (headers is not null), "headers without the flag, or none with it");
    }

    private static void Check(bool condition, string broken)
    {
        if (!condition)
        {
            throw new FuzzInvariantException("Request prefix: " + broken + ".");
        }
    }
}
