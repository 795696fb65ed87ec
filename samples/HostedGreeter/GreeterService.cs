using System.Runtime.CompilerServices;
using Rpc;

namespace HostedGreeter;

/// <summary>
/// The implementation, resolved from dependency injection in a new scope for every call: it can take scoped
/// dependencies (a unit of work, a DbContext) in its constructor, and they are disposed when the call ends.
/// </summary>
public sealed class GreeterService(CallScope scope, GreetingFormat format) : IGreeter
{
    /// <inheritdoc />
    public ValueTask<HelloReply> SayHelloAsync(HelloRequest request, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            throw new RpcException(RpcStatusCode.InvalidArgument, "A name is required.");
        }
        return ValueTask.FromResult(new HelloReply(format.Greet(request.Name), scope.Id));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<int> CountDownAsync(int from, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = from; i >= 0; i--)
        {
            await Task.Delay(10, cancellationToken);
            yield return i;
        }
    }
}

/// <summary>A scoped dependency: one per call, disposed when the call ends.</summary>
public sealed class CallScope : IDisposable
{
    private static int s_lastId;

    /// <summary>This scope's number.</summary>
    public int Id { get; } = Interlocked.Increment(ref s_lastId);

    /// <summary>How many scopes have been disposed so far.</summary>
    public static int Disposed => s_disposed;

    private static int s_disposed;

    /// <inheritdoc />
    public void Dispose() => Interlocked.Increment(ref s_disposed);
}

/// <summary>A singleton dependency, shared by every call.</summary>
public sealed class GreetingFormat
{
    /// <summary>The greeting for <paramref name="name"/>.</summary>
    public string Greet(string name) => $"Hello, {name}!";
}
