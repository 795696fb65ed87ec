using System.Threading;

namespace Rpc.Protocol;

/// <summary>
/// Per-stream flow control, as docs/protocol.md describes it: each direction of each stream starts with
/// <see cref="InitialWindow"/> bytes of credit; a StreamItem costs its whole frame (header and payload); a sender
/// may send while its credit is positive (so an item larger than the window still goes when nothing is
/// outstanding) and otherwise waits; the receiver returns credit with WindowUpdate as its consumer takes items.
/// </summary>
internal static class RpcFlowControl
{
    /// <summary>The credit every stream direction starts with, in bytes; a larger window is granted on top of it.</summary>
    public const int InitialWindow = 64 * 1024;

    /// <summary>The most credit a sender may hold; a peer that grants more breaks the protocol.</summary>
    public const long MaxCredit = int.MaxValue;

    /// <summary>What a StreamItem with <paramref name="payloadLength"/> bytes of payload costs.</summary>
    public static int Cost(int payloadLength) => RpcFrameHeader.Size + payloadLength;

    /// <summary>Checks a configured window size.</summary>
    public static int Validate(int windowSize, string optionName)
    {
        if (windowSize < InitialWindow || windowSize > MaxCredit / 2)
        {
            throw new System.ArgumentOutOfRangeException(optionName, windowSize, $"The stream window must be between {InitialWindow} bytes (the protocol's initial window) and {MaxCredit / 2} bytes.");
        }
        return windowSize;
    }
}
