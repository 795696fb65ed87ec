using MessagePack;
using StreamJsonRpc;

namespace Rpc.LoadTest.Contracts.Peers;

/// <summary>
/// StreamJsonRpc's contract: a plain interface, served by adding a target object and called through the proxy
/// <c>JsonRpc.Attach</c> makes (generated at build time: <see cref="JsonRpcContractAttribute"/>, as StreamJsonRpc's
/// analyzer asks). The request is the same payload as every contender's, as a MessagePack object.
/// </summary>
// StreamJsonRpc0008 asks for a PolyType shape, which only its Nerdbank.MessagePack formatter uses; this contender
// uses the MessagePack-CSharp formatter.
#pragma warning disable StreamJsonRpc0008
[JsonRpcContract]
public partial interface IJsonRpcLoadService
#pragma warning restore StreamJsonRpc0008
{
    /// <summary>Answers <see cref="Payload.Reply"/> of the request's text.</summary>
    Task<string> EchoAsync(JsonRpcEchoRequest request);

    /// <summary>Streams <paramref name="count"/> items, numbered from 0.</summary>
    IAsyncEnumerable<JsonRpcStreamItem> StreamAsync(int count, CancellationToken cancellationToken = default);
}

/// <summary>An int id and a 32-char string.</summary>
[MessagePackObject]
public sealed class JsonRpcEchoRequest
{
    [Key(0)]
    public int Id { get; set; }

    [Key(1)]
    public string Text { get; set; } = "";
}

/// <summary>One streamed item: an int and a long.</summary>
[MessagePackObject]
public struct JsonRpcStreamItem
{
    [Key(0)]
    public int Sequence { get; set; }

    [Key(1)]
    public long Value { get; set; }
}
