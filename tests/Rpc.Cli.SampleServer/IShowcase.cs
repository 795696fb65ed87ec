using System.Runtime.CompilerServices;
using Rpc;
using Rpc.Serialization;

namespace Showcase;

public enum Mood : byte { Calm = 1, Cheerful = 2 }

public record HelloRequest(string Name, int Times, Mood? Mood);

public record HelloReply(string Message, List<string> Lines, Mood Mood);

[RpcMessage]
[RpcUnion(0, typeof(Circle))]
[RpcUnion(7, typeof(Square))]
public abstract partial class Shape { }
[RpcMessage] public partial class Circle : Shape { public double Radius { get; set; } }
[RpcMessage] public partial class Square : Shape { public double Side { get; set; } }

[RpcMessage(GenerateType.VersionTolerant)]
public partial class Settings
{
    [RpcOrder(0)] public int Version { get; set; }
    [RpcOrder(1)] public string? Theme { get; set; }
}

[RpcService("showcase.Showcase")]
public interface IShowcase
{
    ValueTask<HelloReply> SayHelloAsync(HelloRequest request, CancellationToken cancellationToken = default);
    Task<long> AddAsync(int a, long b);
    IAsyncEnumerable<int> CountAsync(int to, CancellationToken cancellationToken = default);
    Task<string> FailAsync(string why);
    Task<double> AreaAsync(Shape shape);
    Task<Dictionary<string, int>> CountWordsAsync(string[] words, Guid requestId);
    Task<Settings> EchoSettingsAsync(Settings settings);
    Task NothingAsync();
}

public sealed class Showcase : IShowcase
{
    public ValueTask<HelloReply> SayHelloAsync(HelloRequest request, CancellationToken cancellationToken)
    {
        var lines = Enumerable.Range(1, request.Times).Select(i => $"{i}: hello {request.Name}").ToList();
        return ValueTask.FromResult(new HelloReply($"Hello, {request.Name}!", lines, request.Mood ?? Mood.Calm));
    }

    public Task<long> AddAsync(int a, long b) => Task.FromResult(a + b);

    public async IAsyncEnumerable<int> CountAsync(int to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (int i = 1; i <= to; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }

    public Task<string> FailAsync(string why) => throw new RpcException(RpcStatusCode.NotFound, "nothing here: " + why);

    public Task<double> AreaAsync(Shape shape) => Task.FromResult(shape switch
    {
        Circle c => Math.PI * c.Radius * c.Radius,
        Square s => s.Side * s.Side,
        _ => -1,
    });

    public Task<Dictionary<string, int>> CountWordsAsync(string[] words, Guid requestId) =>
        Task.FromResult(words.GroupBy(w => w).ToDictionary(g => g.Key, g => g.Count()));

    public Task<Settings> EchoSettingsAsync(Settings settings) => Task.FromResult(settings);

    public Task NothingAsync() => Task.CompletedTask;
}
