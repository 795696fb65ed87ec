using ProtoBuf;
using ProtoBuf.Grpc;
using ProtoBuf.Grpc.Configuration;

namespace Rpc.LoadTest.Contracts.Peers;

/// <summary>protobuf-net.Grpc's contract, code first (no .proto): the same payload as every contender.</summary>
[Service("loadtest.CodeFirstLoad")]
public interface ICodeFirstLoadService
{
    /// <summary>Answers <see cref="Payload.Reply"/> of the request's text.</summary>
    ValueTask<CodeFirstEchoReply> EchoAsync(CodeFirstEchoRequest request, CallContext context = default);

    /// <summary>Streams <see cref="CodeFirstStreamRequest.Count"/> items, numbered from 0.</summary>
    IAsyncEnumerable<CodeFirstStreamItem> StreamAsync(CodeFirstStreamRequest request, CallContext context = default);
}

/// <summary>An int id and a 32-char string.</summary>
[ProtoContract]
public sealed class CodeFirstEchoRequest
{
    [ProtoMember(1)]
    public int Id { get; set; }

    [ProtoMember(2)]
    public string Text { get; set; } = "";
}

/// <summary>The 40-char reply.</summary>
[ProtoContract]
public sealed class CodeFirstEchoReply
{
    [ProtoMember(1)]
    public string Text { get; set; } = "";
}

/// <summary>How many items to stream.</summary>
[ProtoContract]
public sealed class CodeFirstStreamRequest
{
    [ProtoMember(1)]
    public int Count { get; set; }
}

/// <summary>One streamed item: an int and a long.</summary>
[ProtoContract]
public sealed class CodeFirstStreamItem
{
    [ProtoMember(1)]
    public int Sequence { get; set; }

    [ProtoMember(2)]
    public long Value { get; set; }
}
