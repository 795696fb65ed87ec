using Orleans;

namespace Rpc.LoadTest.Contracts.Peers;

/// <summary>Orleans' contract: a grain interface; the load test's grain is a stateless worker.</summary>
public interface IOrleansLoadGrain : IGrainWithIntegerKey
{
    /// <summary>Answers <see cref="Payload.Reply"/> of the request's text.</summary>
    ValueTask<string> EchoAsync(OrleansEchoRequest request);

}

/// <summary>
/// Orleans' streaming contract, on its own grain: an enumeration's later batches must reach the activation that holds
/// its enumerator, which a stateless worker (several activations per silo under load) does not promise.
/// </summary>
public interface IOrleansStreamGrain : IGrainWithIntegerKey
{
    /// <summary>Streams <paramref name="count"/> items, numbered from 0.</summary>
    IAsyncEnumerable<OrleansStreamItem> StreamAsync(int count);
}

/// <summary>An int id and a 32-char string, serialized by Orleans' generated serializer.</summary>
[GenerateSerializer, Immutable]
public sealed class OrleansEchoRequest
{
    [Id(0)]
    public int Id { get; set; }

    [Id(1)]
    public string Text { get; set; } = "";
}

/// <summary>One streamed item: an int and a long.</summary>
[GenerateSerializer, Immutable]
public struct OrleansStreamItem
{
    [Id(0)]
    public int Sequence { get; set; }

    [Id(1)]
    public long Value { get; set; }
}
