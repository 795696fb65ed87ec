using Rpc;

namespace Greeter;

/// <summary>The server's implementation: ordinary C#.</summary>
public sealed class GreeterService : IGreeter
{
    /// <inheritdoc />
    public ValueTask<HelloReply> SayHelloAsync(HelloRequest request, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            // The caller sees exactly this status and message.
            throw new RpcException(RpcStatusCode.InvalidArgument, "A name is required.");
        }
        string greeting = request.Language switch
        {
            "fr" => "Bonjour",
            "de" => "Hallo",
            _ => "Hello",
        };
        return ValueTask.FromResult(new HelloReply($"{greeting}, {request.Name}!", DateTime.UtcNow));
    }

    /// <inheritdoc />
    public async Task<List<HelloReply>> SayHelloToAllAsync(string[] names, CancellationToken cancellationToken = default)
    {
        var replies = new List<HelloReply>(names.Length);
        foreach (string name in names)
        {
            replies.Add(await SayHelloAsync(new HelloRequest(name), cancellationToken));
        }
        return replies;
    }
}
