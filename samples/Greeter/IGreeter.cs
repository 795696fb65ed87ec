using Rpc;

namespace Greeter;

/// <summary>The contract: a plain interface. The generator turns it into a client proxy and a server dispatcher.</summary>
[RpcService]
public interface IGreeter
{
    /// <summary>Greets one person.</summary>
    ValueTask<HelloReply> SayHelloAsync(HelloRequest request, CancellationToken cancellationToken = default);

    /// <summary>Greets several people in one call.</summary>
    Task<List<HelloReply>> SayHelloToAllAsync(string[] names, CancellationToken cancellationToken = default);
}

/// <summary>The request: any record, class or struct with public members is serializable.</summary>
public record HelloRequest(string Name, string? Language = null);

/// <summary>The reply.</summary>
public record HelloReply(string Message, DateTime GreetedAtUtc);
