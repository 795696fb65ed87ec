using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Rpc.Generators.Tests.Infrastructure;

namespace Rpc.Generators.Tests.Generator;

/// <summary>Every unsupported construct gets its diagnostic, at the offending syntax, with a message that says what to do.</summary>
public sealed class DiagnosticTests
{
    private const string Header = """
        #nullable enable
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Rpc;
        using Rpc.Serialization;
        namespace Demo;
        public record Reply(string Text);

        """;

    private static Diagnostic Single(string source, string id, string expectedSpanText)
    {
        var (_, output, generatorDiagnostics) = TestCompilation.RunGenerator(TestCompilation.Create(Header + source));
        Assert.Empty(generatorDiagnostics); // the analyzer reports; the generator only skips what it cannot write
        ImmutableArray<Diagnostic> diagnostics = TestCompilation.RunAnalyzer(output);
        Diagnostic[] matching = diagnostics.Where(d => d.Id == id).ToArray();
        Assert.True(matching.Length == 1, $"Expected one {id}, got: {string.Join("\n", diagnostics)}");
        Diagnostic diagnostic = matching[0];
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        // At the user's own syntax tree, so #pragma and .editorconfig apply to it.
        SyntaxTree tree = Assert.IsAssignableFrom<SyntaxTree>(diagnostic.Location.SourceTree);
        Assert.Contains(tree, output.SyntaxTrees);
        Assert.Equal(expectedSpanText, tree.ToString().Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.EndsWith("docs/diagnostics.md#" + id.ToLowerInvariant(), diagnostic.Descriptor.HelpLinkUri);
        // Whatever the generator reports, what it emits still compiles (no crash, no half-written code).
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.EndsWith(".g.cs") == true);
        return diagnostic;
    }

    [Fact]
    public void The_generator_reports_nothing_itself_and_writes_no_code_for_an_invalid_service()
    {
        var (_, output, generatorDiagnostics) = TestCompilation.RunGenerator(TestCompilation.Create(Header + """
            [RpcService] public interface IBroken { Reply Get(ref int id); }
            [RpcService] public interface IFine { Task<Reply> GetAsync(int id); }
            """));
        Assert.Empty(generatorDiagnostics);
        string[] generated = output.SyntaxTrees.Select(t => Path.GetFileName(t.FilePath)).Where(p => p.EndsWith(".g.cs", StringComparison.Ordinal)).ToArray();
        Assert.Contains("Demo.FineRpc.g.cs", generated);
        Assert.DoesNotContain(generated, p => p.Contains("Broken", StringComparison.Ordinal));
        Assert.Equal("RPC006", Assert.Single(TestCompilation.RunAnalyzer(output)).Id);
    }

    [Fact]
    public void RPC001_RpcService_on_a_class_is_reported_at_its_name()
    {
        Diagnostic d = Single("[RpcService] public class Greeter { }", "RPC001", "Greeter");
        Assert.Contains("not an interface", d.GetMessage());
    }

    [Fact]
    public void RPC002_a_generic_service_is_reported()
    {
        Single("[RpcService] public interface IRepo<T> { Task<int> CountAsync(); }", "RPC002", "IRepo");
    }

    [Fact]
    public void RPC003_a_generic_method_is_reported_at_the_method()
    {
        Single("[RpcService] public interface IS { Task<T> GetAsync<T>(); }", "RPC003", "GetAsync");
    }

    [Fact]
    public void RPC004_ref_out_and_in_parameters_are_reported_at_the_parameter()
    {
        Diagnostic d = Single("[RpcService] public interface IS { Task PutAsync(ref int value); }", "RPC004", "value");
        Assert.Contains("ref", d.GetMessage());
        Single("[RpcService] public interface IS { Task PutAsync(out int result); }", "RPC004", "result");
        Single("[RpcService] public interface IS { Task PutAsync(in int input); }", "RPC004", "input");
    }

    [Fact]
    public void RPC005_properties_and_events_on_a_service_are_reported()
    {
        Single("[RpcService] public interface IS { int Count { get; } }", "RPC005", "Count");
        Single("[RpcService] public interface IS { event EventHandler Changed; }", "RPC005", "Changed");
    }

    [Fact]
    public void RPC006_a_synchronous_return_type_is_reported_at_the_return_type()
    {
        Diagnostic d = Single("[RpcService] public interface IS { Reply Get(); }", "RPC006", "Reply");
        Assert.Contains("Task", d.GetMessage());
    }

    [Fact]
    public void RPC007_an_unserializable_parameter_names_the_member_path()
    {
        Diagnostic d = Single("""
            public class Order { public Customer Customer { get; set; } = new(); }
            public class Customer { public object Tag { get; set; } = new(); }
            [RpcService] public interface IS { Task PlaceAsync(Order order); }
            """, "RPC007", "order");
        Assert.Contains("Order.Customer.Tag", d.GetMessage());
        Assert.Contains("object", d.GetMessage());
    }

    [Fact]
    public void RPC007_an_unserializable_result_is_reported_at_the_return_type()
    {
        Single("[RpcService] public interface IS { Task<Action> GetAsync(); }", "RPC007", "Task<Action>");
    }

    [Fact]
    public void RPC007_an_interface_without_union_cases_is_reported()
    {
        Diagnostic d = Single("public interface IShape { } [RpcService] public interface IS { Task DrawAsync(IShape shape); }", "RPC007", "shape");
        Assert.Contains("RpcUnion", d.GetMessage());
    }

    [Fact]
    public void RPC008_two_pinned_ids_that_collide_are_reported()
    {
        Diagnostic d = Single("[RpcService] public interface IS { [RpcMethod(7)] Task AAsync(); [RpcMethod(7)] Task BAsync(); }", "RPC008", "BAsync");
        Assert.Contains("AAsync", d.GetMessage());
    }

    [Fact]
    public void RPC009_a_cancellation_token_that_is_not_last_is_reported()
    {
        Single("[RpcService] public interface IS { Task RunAsync(CancellationToken ct, int x); }", "RPC009", "ct");
    }

    [Fact]
    public void RPC010_two_request_streams_are_reported_at_the_second()
    {
        Diagnostic d = Single("[RpcService] public interface IS { Task MergeAsync(IAsyncEnumerable<int> left, IAsyncEnumerable<int> right); }", "RPC010", "right");
        Assert.Contains("more than one", d.GetMessage());
    }

    [Fact]
    public void RPC010_a_task_of_a_stream_is_reported_at_the_return_type()
    {
        Single("[RpcService] public interface IS { Task<IAsyncEnumerable<int>> CountAsync(); }", "RPC010", "Task<IAsyncEnumerable<int>>");
    }

    [Fact]
    public void RPC010_a_one_way_stream_is_reported()
    {
        Single("[RpcService] public interface IS { [RpcOneWay] Task UploadAsync(IAsyncEnumerable<int> values); }", "RPC010", "UploadAsync");
    }

    [Fact]
    public void RPC011_a_one_way_method_with_a_result_is_reported()
    {
        Single("[RpcService] public interface IS { [RpcOneWay] Task<int> FireAsync(); }", "RPC011", "Task<int>");
    }

    [Fact]
    public void RPC012_an_included_private_member_of_a_non_partial_type_is_reported_at_the_member()
    {
        Single("[RpcMessage] public class Secretive { [RpcInclude] private int hidden; public int Visible { get; set; } }", "RPC012", "hidden");
    }

    [Fact]
    public void RPC012_a_private_setter_on_a_type_generated_code_cannot_enter_is_reported()
    {
        Diagnostic d = Single("public class Account { public int Balance { get; private set; } } [RpcService] public interface IS { Task<Account> GetAsync(); }", "RPC012", "Balance");
        Assert.Contains("setter", d.GetMessage());
    }

    [Fact]
    public void RPC013_several_constructors_without_a_marked_one_are_reported()
    {
        Diagnostic d = Single("[RpcMessage] public partial class Point { public Point(int x) { X = x; } public Point(int x, int y) { X = x; Y = y; } public int X { get; } public int Y { get; } }", "RPC013", "Point");
        Assert.Contains("RpcConstructor", d.GetMessage());
    }

    [Fact]
    public void RPC014_a_version_tolerant_member_without_an_order_is_reported_at_the_member()
    {
        Single("[RpcMessage(GenerateType.VersionTolerant)] public partial class V { [RpcOrder(0)] public int A { get; set; } public int B { get; set; } }", "RPC014", "B");
    }

    [Fact]
    public void RPC015_a_union_with_a_repeated_tag_is_reported()
    {
        Single("[RpcMessage] [RpcUnion(0, typeof(A))] [RpcUnion(0, typeof(B))] public partial interface IU { } [RpcMessage] public partial class A : IU { } [RpcMessage] public partial class B : IU { }", "RPC015", "RpcUnion(0, typeof(B))");
    }

    [Fact]
    public void RPC016_a_circular_reference_type_with_init_only_members_is_reported()
    {
        Single("[RpcMessage(GenerateType.CircularReference)] public partial class N { [RpcOrder(0)] public int V { get; init; } }", "RPC016", "V");
    }

    [Fact]
    public void RPC017_more_than_249_members_are_reported()
    {
        string members = string.Concat(Enumerable.Range(0, 250).Select(i => $"public int M{i}; "));
        Single($"[RpcMessage] public partial class Huge {{ {members} }}", "RPC017", "Huge");
    }

    [Fact]
    public void RPC018_a_private_nested_service_is_reported()
    {
        Single("public class Outer { [RpcService] private interface IHidden { Task RunAsync(); } }", "RPC018", "IHidden");
    }
}
