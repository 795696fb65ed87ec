using System.Net;
using Rpc;
using Streaming;

// dotnet run --project samples/Streaming: a server and a client on loopback, streaming three ways.
await using var server = new RpcServer();
server.AddService<IChat>(new ChatService());
EndPoint bound = await server.ListenAsync(new IPEndPoint(IPAddress.Loopback, 0));

await using RpcClient client = await RpcClient.ConnectAsync(bound);
IChat chat = client.CreateProxy<IChat>();

await chat.TypingAsync("lobby", "ada");

// Server streaming: read five messages, then break out; the server's loop stops.
await foreach (ChatMessage message in chat.SubscribeAsync("lobby"))
{
    Console.WriteLine($"client: {message.User}: {message.Text}");
    if (message.Text.StartsWith("message 5 ", StringComparison.Ordinal))
    {
        break;
    }
}

// Client streaming: ten thousand messages up, flow-controlled, one answer back.
int uploaded = await chat.UploadAsync("archive", History(10_000));
Console.WriteLine($"client: the server received {uploaded} messages");

// Duplex: both directions at once.
await foreach (string echo in chat.ShoutAsync(Lines("hello", "streams", "both ways")))
{
    Console.WriteLine($"client: {echo}");
}

// A deadline: the subscription ends with DeadlineExceeded after 200 ms.
try
{
    using (RpcCallOptions.Push(new RpcCallOptions { Timeout = TimeSpan.FromMilliseconds(200) }))
    {
        await foreach (ChatMessage _ in chat.SubscribeAsync("slow"))
        {
        }
    }
}
catch (RpcException e) when (e.StatusCode == RpcStatusCode.DeadlineExceeded)
{
    Console.WriteLine("client: the subscription hit its 200 ms deadline");
}
return 0;

static async IAsyncEnumerable<ChatMessage> History(int count)
{
    for (int i = 0; i < count; i++)
    {
        yield return new ChatMessage("ada", "line " + i, DateTime.UtcNow);
        if (i % 1000 == 0)
        {
            await Task.Yield();
        }
    }
}

static async IAsyncEnumerable<string> Lines(params string[] lines)
{
    foreach (string line in lines)
    {
        await Task.Delay(10);
        yield return line;
    }
}
