namespace Rpc.Protocol;

/// <summary>What a frame carries. The values are the wire's; see docs/protocol.md.</summary>
internal enum RpcFrameType : byte
{
    /// <summary>A call: the method's arguments in order.</summary>
    Request = 1,
    /// <summary>A call's result; empty for methods without one.</summary>
    Response = 2,
    /// <summary>A call failed: int32 status, string message, string? detail.</summary>
    Error = 3,
    /// <summary>The client gave up on a call; no payload.</summary>
    Cancel = 4,
    /// <summary>Reserved: one message of a stream.</summary>
    StreamItem = 5,
    /// <summary>Reserved: the end of a stream.</summary>
    StreamEnd = 6,
    /// <summary>Reserved: flow-control credit.</summary>
    WindowUpdate = 7,
    /// <summary>A liveness probe; the peer echoes the payload in a <see cref="Pong"/>.</summary>
    Ping = 8,
    /// <summary>The answer to a <see cref="Ping"/>, with the same payload.</summary>
    Pong = 9,
    /// <summary>The sender takes no new calls: int32 status, string message; the header's call id is the last call it accepted.</summary>
    GoAway = 10,
    /// <summary>Reserved: call metadata.</summary>
    Headers = 11,
}
