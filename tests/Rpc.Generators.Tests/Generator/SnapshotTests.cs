using Microsoft.CodeAnalysis;
using Rpc.Generators.Tests.Infrastructure;

namespace Rpc.Generators.Tests.Generator;

/// <summary>The generated source, pinned: a change to it is a reviewed change to the approved files in Snapshots/.</summary>
public sealed class SnapshotTests
{
    private const string Greeter = """
        #nullable enable
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Rpc;
        using Rpc.Serialization;

        namespace Demo;

        public record HelloRequest(string Name, int Times);
        public record HelloReply(string Message, List<string> Lines);

        public interface IPing
        {
            Task PingAsync();
        }

        [RpcService]
        public interface IGreeter : IPing
        {
            ValueTask<HelloReply> SayHelloAsync(HelloRequest request, CancellationToken ct = default);
            Task<int> AddAsync(int a, int b);
            [RpcOneWay] ValueTask NotifyAsync(string message);
            [RpcMethod(42)] Task<Dictionary<string, int>?> CountWordsAsync(string? text, [Utf16String] string @class, CancellationToken cancellationToken);
        }
        """;

    private const string Messages = """
        #nullable enable
        using System;
        using System.Collections.Generic;
        using Rpc.Serialization;

        namespace Demo.Messages;

        [RpcMessage]
        public partial class Order
        {
            public long Id { get; set; }
            public string? Customer { get; init; }
            public List<OrderLine>? Lines { get; set; }
            [RpcIgnore] public int Cache { get; set; }
            [RpcInclude] private int revision;
            public int Total => Lines?.Count ?? 0;
        }

        public record OrderLine(string Sku, decimal Price, int Quantity);

        [RpcMessage(GenerateType.VersionTolerant)]
        public partial class Settings
        {
            [RpcOrder(0)] public int Version { get; set; }
            [RpcOrder(2)] public string? Theme { get; set; }
        }

        [RpcMessage]
        [RpcUnion(0, typeof(Circle))]
        [RpcUnion(300, typeof(Square))]
        public abstract partial class Shape { }
        [RpcMessage] public partial class Circle : Shape { public double Radius { get; set; } }
        [RpcMessage] public partial class Square : Shape { public double Side { get; set; } }

        [RpcMessage(GenerateType.CircularReference)]
        public partial class TreeNode
        {
            [RpcOrder(0)] public int Value { get; set; }
            [RpcOrder(1)] public TreeNode? Parent { get; set; }
            [RpcOrder(2)] public List<TreeNode>? Children { get; set; }
        }

        public static class Use
        {
            public static byte[] Save(Shape shape) => RpcSerializer.Serialize(shape);
            public static TreeNode? Load(byte[] bytes) => RpcSerializer.Deserialize<TreeNode>(bytes);
        }
        """;

    private const string Streams = """
        #nullable enable
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Rpc;

        namespace Demo.Streams;

        public record Tick(long Sequence, double Value);

        [RpcService]
        public interface ITicker
        {
            IAsyncEnumerable<Tick> WatchAsync(string symbol, CancellationToken cancellationToken = default);
            Task<long> UploadAsync(string symbol, IAsyncEnumerable<Tick> ticks, CancellationToken cancellationToken = default);
            ValueTask ReplaceAsync(IAsyncEnumerable<Tick?> ticks);
            IAsyncEnumerable<string> ChatAsync(IAsyncEnumerable<string> messages, int room);
        }
        """;

    public static IEnumerable<object[]> Sources() =>
    [
        ["Greeter", Greeter],
        ["Messages", Messages],
        ["Streams", Streams],
    ];

    [Theory]
    [MemberData(nameof(Sources))]
    public void Generated_source_matches_the_approved_snapshot(string name, string source)
    {
        var (driver, _, diagnostics) = TestCompilation.RunGenerator(TestCompilation.Create(source));
        Assert.Empty(diagnostics);
        foreach (GeneratedSourceResult generated in driver.GetRunResult().Results.Single().GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal))
        {
            Snapshot.Verify($"{name}.{generated.HintName.Replace(".g.cs", string.Empty)}", generated.SourceText.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Generated_source_compiles_without_warnings(string name, string source)
    {
        var (_, output, diagnostics) = TestCompilation.RunGenerator(TestCompilation.Create(source));
        Assert.Empty(diagnostics);
        IReadOnlyList<Diagnostic> problems = TestCompilation.CompilationProblems(output);
        Assert.True(problems.Count == 0, name + ":\n" + string.Join("\n", problems));
    }
}
