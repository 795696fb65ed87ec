using System;
using Rpc.Protocol;
using Rpc.Serialization;

namespace Rpc.Fuzzing.Targets;

/// <summary>
/// The control frame readers of <see cref="RpcControlFrames"/>: Error and GoAway document
/// <see cref="RpcSerializationException"/>, WindowUpdate <see cref="RpcProtocolException"/>.
/// Input: one byte choosing the reader, then the payload.
/// </summary>
public sealed class ControlFramesTarget : IFuzzTarget
{
    public string Name => "control-frames";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }
        ReadOnlySpan<byte> payload = input.Slice(1);
        try
        {
            switch (input[0] % 3)
            {
                case 0:
                    (RpcStatusCode _, string message, string? _) = RpcControlFrames.ReadError(payload, RpcSerializerOptions.Default);
                    Check(message is not null, "an Error read with a null message");
                    break;
                case 1:
                    (RpcStatusCode _, string goAwayMessage) = RpcControlFrames.ReadGoAway(payload, RpcSerializerOptions.Default);
                    Check(goAwayMessage is not null, "a GoAway read with a null message");
                    break;
                default:
                    uint increment = RpcControlFrames.ReadWindowUpdate(payload);
                    Check(increment >= 1 && payload.Length == sizeof(uint), "a WindowUpdate accepted with no credit or a wrong length");
                    break;
            }
        }
        catch (RpcSerializationException) when (input[0] % 3 != 2)
        {
        }
        catch (RpcProtocolException) when (input[0] % 3 == 2)
        {
        }
    }

    private static void Check(bool condition, string broken)
    {
        if (!condition)
        {
            throw new FuzzInvariantException("Control frames: " + broken + ".");
        }
    }
}
