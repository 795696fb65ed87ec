namespace Rpc.Protocol;

/// <summary>What a frame carries. The values are the wire's; see docs/protocol.md.</summary>
internal enum RpcFrameType : byte
{
    /// <summary>A call: an optional deadline and metadata block, then the method's arguments in order.</summary>
    Request = 1,
    /// <summary>A call's result; empty for methods without one.</summary>
    Response = 2,
    /// <summary>A call failed: int32 status, string message, string? detail.</summary>
    Error = 3,
    /// <summary>The client gave up on a call; no payload.</summary>
    Cancel = 4,
    /// <summary>One message of a stream, either way; consumes flow-control credit.</summary>
    StreamItem = 5,
    /// <summary>The end of a stream (flag EndOfStream): the client's request stream, or the server's response stream and the call (trailers may follow).</summary>
    StreamEnd = 6,
    /// <summary>Flow-control credit for a stream: uint32 bytes.</summary>
    WindowUpdate = 7,
    /// <summary>A liveness probe; the peer echoes the payload in a <see cref="Pong"/>.</summary>
    Ping = 8,
    /// <summary>The answer to a <see cref="Ping"/>, with the same payload.</summary>
    Pong = 9,
    /// <summary>The sender takes no new calls: int32 status, string message; the header's call id is the last call it accepted.</summary>
    GoAway = 10,
    /// <summary>Response headers (a metadata block), server to client, before the call's first response item or its result.</summary>
    Headers = 11,
}
