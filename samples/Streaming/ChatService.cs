using System.Runtime.CompilerServices;

namespace Streaming;

/// <summary>The server side: async iterators in, async iterators out.</summary>
public sealed class ChatService : IChat
{
    /// <inheritdoc />
    public async IAsyncEnumerable<ChatMessage> SubscribeAsync(string room, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 1; ; i++)
        {
            // The token fires when the client breaks out of its loop, cancels, or its deadline passes.
            await Task.Delay(20, cancellationToken);
            yield return new ChatMessage("bot", $"message {i} in {room}", DateTime.UtcNow);
        }
    }

    /// <inheritdoc />
    public async Task<int> UploadAsync(string room, IAsyncEnumerable<ChatMessage> messages, CancellationToken cancellationToken = default)
    {
        int count = 0;
        await foreach (ChatMessage _ in messages.WithCancellation(cancellationToken))
        {
            count++;
        }
        return count;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ShoutAsync(IAsyncEnumerable<string> lines, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (string line in lines.WithCancellation(cancellationToken))
        {
            yield return line.ToUpperInvariant() + "!";
        }
    }

    /// <inheritdoc />
    public ValueTask TypingAsync(string room, string user)
    {
        Console.WriteLine($"server: {user} is typing in {room}");
        return ValueTask.CompletedTask;
    }
}
