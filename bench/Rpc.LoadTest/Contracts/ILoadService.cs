using Rpc;

namespace Rpc.LoadTest.Contracts;

/// <summary>The service our SDK serves in the load test: one unary echo with the shared payload.</summary>
[RpcService]
public interface ILoadService
{
    /// <summary>Answers <see cref="Payload.Reply"/> of the request's text: a 40-char string.</summary>
    ValueTask<string> EchoAsync(EchoRequest request);

    /// <summary>Streams <paramref name="count"/> items, numbered from 0, as fast as flow control lets it.</summary>
    IAsyncEnumerable<StreamItem> StreamAsync(int count, CancellationToken cancellationToken = default);
}

/// <summary>The request every contender sends: an id and a 32-char string.</summary>
public sealed record EchoRequest(int Id, string Text);

/// <summary>The HTTP/2 contender's reply body: the 40-char string, as JSON.</summary>
public sealed record EchoReply(string Text);

/// <summary>One item of the server-streaming workload: small and fixed-size.</summary>
public readonly record struct StreamItem(int Sequence, long Value);
