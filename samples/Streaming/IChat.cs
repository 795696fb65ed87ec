using Rpc;

namespace Streaming;

/// <summary>Streams both ways, in plain C# signatures.</summary>
[RpcService]
public interface IChat
{
    /// <summary>Server streaming: the room's messages as they happen, until the caller stops reading.</summary>
    IAsyncEnumerable<ChatMessage> SubscribeAsync(string room, CancellationToken cancellationToken = default);

    /// <summary>Client streaming: many messages up, one receipt back.</summary>
    Task<int> UploadAsync(string room, IAsyncEnumerable<ChatMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>Duplex: every line sent comes back translated while the caller is still sending.</summary>
    IAsyncEnumerable<string> ShoutAsync(IAsyncEnumerable<string> lines, CancellationToken cancellationToken = default);

    /// <summary>One-way: no response; the call completes when the request is written.</summary>
    [RpcOneWay]
    ValueTask TypingAsync(string room, string user);
}

/// <summary>One chat message.</summary>
public record ChatMessage(string User, string Text, DateTime SentUtc);
