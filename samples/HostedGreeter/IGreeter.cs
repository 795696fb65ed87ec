using Rpc;

namespace HostedGreeter;

/// <summary>The contract, as in samples/Greeter.</summary>
[RpcService]
public interface IGreeter
{
    /// <summary>Greets one person.</summary>
    ValueTask<HelloReply> SayHelloAsync(HelloRequest request, CancellationToken cancellationToken = default);

    /// <summary>Counts down from <paramref name="from"/>, one number at a time.</summary>
    IAsyncEnumerable<int> CountDownAsync(int from, CancellationToken cancellationToken = default);
}

/// <summary>The request.</summary>
public record HelloRequest(string Name);

/// <summary>The reply, with the id of the call's DI scope, to show that each call gets its own.</summary>
public record HelloReply(string Message, int ScopeId);
