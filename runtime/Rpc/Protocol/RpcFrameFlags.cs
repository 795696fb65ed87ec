using System;

namespace Rpc.Protocol;

/// <summary>Per-frame flags. Receivers ignore flags they do not know.</summary>
[Flags]
internal enum RpcFrameFlags : byte
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>Reserved: a metadata block precedes the payload.</summary>
    HasMetadata = 0x01,
    /// <summary>Reserved: the last frame of a stream.</summary>
    EndOfStream = 0x02,
    /// <summary>A request that expects no response.</summary>
    OneWay = 0x04,
    /// <summary>Reserved: a deadline precedes the payload.</summary>
    HasDeadline = 0x08,
}
