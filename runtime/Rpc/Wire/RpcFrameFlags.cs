using System;

namespace Rpc.Protocol;

/// <summary>Per-frame flags. Receivers ignore flags they do not know.</summary>
[Flags]
internal enum RpcFrameFlags : byte
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>A metadata block (request headers or trailers) starts the payload, after any deadline.</summary>
    HasMetadata = 0x01,
    /// <summary>The last frame of a stream: always on StreamEnd; on a StreamItem, the item is the last one.</summary>
    EndOfStream = 0x02,
    /// <summary>A request that expects no response.</summary>
    OneWay = 0x04,
    /// <summary>On a Request: an int64 timeout in microseconds starts the payload.</summary>
    HasDeadline = 0x08,
}
