using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Rpc.Generators.Diagnostics;
using D = Rpc.Generators.Diagnostics.DiagnosticDescriptors;

namespace Rpc.Analyzers.Tests;

/// <summary>
/// One test per diagnostic: the analyzer reports it at the marked syntax (<c>{|#0:...|}</c>) with the message its
/// arguments make, and nothing else.
/// </summary>
public sealed class RpcContractAnalyzerTests
{
    private static Task Verify(string source, params DiagnosticResult[] expected) => new RpcAnalyzerTest(source, expected).RunAsync();

    private static DiagnosticResult At(DiagnosticDescriptor descriptor, int location, params object[] arguments) =>
        new DiagnosticResult(descriptor).WithLocation(location).WithArguments(arguments);

    [Fact]
    public Task RPC001_RpcService_on_a_class_is_reported_at_its_name() =>
        Verify("[{|#1:RpcService|}] public class {|#0:Greeter|} { }",
            At(D.ServiceMustBeInterface, 0, "Greeter"),
            DiagnosticResult.CompilerError("CS0592").WithLocation(1).WithArguments("RpcService", "interface"));

    [Fact]
    public Task RPC002_a_generic_service_is_reported_at_its_name() =>
        Verify("[RpcService] public interface {|#0:IRepo|}<T> { Task<int> CountAsync(); }", At(D.GenericServiceNotSupported, 0, "IRepo"));

    [Fact]
    public Task RPC003_a_generic_method_is_reported_at_the_method() =>
        Verify("[RpcService] public interface IS { Task<T> {|#0:GetAsync|}<T>(); }", At(D.GenericMethodNotSupported, 0, "IS.GetAsync"));

    [Fact]
    public Task RPC004_a_ref_parameter_is_reported_at_the_parameter() =>
        Verify("[RpcService] public interface IS { Task PutAsync(ref int {|#0:value|}); }", At(D.ByRefParameterNotSupported, 0, "value", "IS.PutAsync", "ref"));

    [Fact]
    public Task RPC005_a_property_on_a_service_is_reported_at_the_property() =>
        Verify("[RpcService] public interface IS { int {|#0:Count|} { get; } }", At(D.NonMethodMemberNotSupported, 0, "IS.Count", "property"));

    [Fact]
    public Task RPC006_a_synchronous_return_type_is_reported_at_the_return_type() =>
        Verify("public record Reply(string Text); [RpcService] public interface IS { {|#0:Reply|} Get(); }", At(D.UnsupportedReturnType, 0, "IS.Get", "Reply"));

    [Fact]
    public Task RPC007_an_unserializable_parameter_is_reported_at_the_parameter_with_the_member_path() =>
        Verify("""
            public class Order { public Customer Customer { get; set; } = new(); }
            public class Customer { public object Tag { get; set; } = new(); }
            [RpcService] public interface IS { Task PlaceAsync(Order {|#0:order|}); }
            """,
            At(D.TypeNotSerializable, 0, "Parameter 'order' of 'IS.PlaceAsync'", "Order", " (at Order.Customer.Tag)",
                "'object' and 'dynamic' carry no type information on the wire; use a concrete type or an [RpcUnion] interface"));

    [Fact]
    public Task RPC008_two_methods_with_one_id_are_reported_at_the_second() =>
        Verify("[RpcService] public interface IS { [RpcMethod(7)] Task AAsync(); [RpcMethod(7)] Task {|#0:BAsync|}(); }",
            At(D.MethodIdCollision, 0, "AAsync", "BAsync", "IS", "00000007"));

    [Fact]
    public Task RPC009_a_cancellation_token_that_is_not_last_is_reported_at_it() =>
        Verify("[RpcService] public interface IS { Task RunAsync(CancellationToken {|#0:ct|}, int x); }", At(D.CancellationTokenPosition, 0, "IS.RunAsync"));

    [Fact]
    public Task RPC010_two_request_streams_are_reported_at_the_second() =>
        Verify("[RpcService] public interface IS { Task MergeAsync(IAsyncEnumerable<int> left, IAsyncEnumerable<int> {|#0:right|}); }",
            At(D.InvalidStreamingSignature, 0, "IS.MergeAsync", "takes more than one IAsyncEnumerable<T> parameter"));

    [Fact]
    public Task RPC011_a_one_way_method_with_a_result_is_reported_at_the_return_type() =>
        Verify("[RpcService] public interface IS { [RpcOneWay] {|#0:Task<int>|} FireAsync(); }", At(D.OneWayMustReturnTask, 0, "IS.FireAsync", "System.Threading.Tasks.Task<int>"));

    [Fact]
    public Task RPC012_an_included_private_member_of_a_non_partial_type_is_reported_at_the_member() =>
        Verify("[RpcMessage] public class {|#1:Secretive|} { [RpcInclude] private int {|#0:hidden|}; public int Visible { get; set; } }",
            At(D.IncludeNeedsPartial, 0, "Secretive", "hidden"),
            At(D.TypeNotSerializable, 1, "[RpcMessage] type 'Secretive'", "Secretive", " (at Secretive)", "'Secretive' must be partial to serialize non-public member 'hidden'"));

    [Fact]
    public Task RPC013_several_constructors_without_a_marked_one_are_reported_at_the_type() =>
        Verify("[RpcMessage] public partial class {|#0:{|#1:Point|}|} { public Point(int x) { X = x; } public Point(int x, int y) { X = x; Y = y; } public int X { get; } public int Y { get; } }",
            At(D.NoUsableConstructor, 0, "Point", "it has several constructors; mark the one to use with [RpcConstructor]"),
            At(D.TypeNotSerializable, 1, "[RpcMessage] type 'Point'", "Point", " (at Point)", "it has several constructors; mark the one to use with [RpcConstructor]"));

    [Fact]
    public Task RPC014_a_version_tolerant_member_without_an_order_is_reported_at_the_member() =>
        Verify("[RpcMessage(GenerateType.VersionTolerant)] public partial class {|#1:V|} { [RpcOrder(0)] public int A { get; set; } public int {|#0:B|} { get; set; } }",
            At(D.OrderRequired, 0, "V", "B", "has no [RpcOrder]"),
            At(D.TypeNotSerializable, 1, "[RpcMessage] type 'V'", "V", " (at V)", "member 'B' needs [RpcOrder]"));

    [Fact]
    public Task RPC015_a_union_with_a_repeated_tag_is_reported_at_the_attribute() =>
        Verify("[RpcMessage] [RpcUnion(0, typeof(A))] [{|#0:RpcUnion(0, typeof(B))|}] public partial interface {|#1:IU|} { } [RpcMessage] public partial class A : IU { } [RpcMessage] public partial class B : IU { }",
            At(D.InvalidUnion, 0, "IU", "tag 0 is used twice"),
            At(D.TypeNotSerializable, 1, "[RpcMessage] type 'IU'", "IU", " (at IU)", "union 'IU' is invalid"));

    [Fact]
    public Task RPC016_a_circular_reference_type_with_an_init_only_member_is_reported_at_the_member() =>
        Verify("[RpcMessage(GenerateType.CircularReference)] public partial class {|#1:N|} { [RpcOrder(0)] public int {|#0:V|} { get; init; } }",
            At(D.CircularNeedsSettableMembers, 0, "N", "member 'V' is init-only"),
            At(D.TypeNotSerializable, 1, "[RpcMessage] type 'N'", "N", " (at N)", "member 'V' is init-only"));

    [Fact]
    public Task RPC017_more_than_249_members_are_reported_at_the_type()
    {
        string members = string.Concat(Enumerable.Range(0, 250).Select(i => $"public int M{i}; "));
        return Verify($"[RpcMessage] public partial class {{|#0:{{|#1:Huge|}}|}} {{ {members} }}", At(D.TooManyMembers, 0, "Huge", "250"),
            At(D.TypeNotSerializable, 1, "[RpcMessage] type 'Huge'", "Huge", " (at Huge)", "it has more than 249 members"));
    }

    [Fact]
    public Task RPC018_a_private_nested_service_is_reported_at_its_name() =>
        Verify("public class Outer { [RpcService] private interface {|#0:IHidden|} { Task RunAsync(); } }", At(D.TypeNotAccessible, 0, "Outer.IHidden"));

    [Fact]
    public Task RPC019_a_server_stream_without_a_token_is_suggested_at_the_method() =>
        Verify("[RpcService] public interface IS { IAsyncEnumerable<int> {|#0:WatchAsync|}(string symbol); }", At(D.StreamWithoutCancellationToken, 0, "IS.WatchAsync"));

    [Fact]
    public Task RPC019_a_client_stream_without_a_token_is_suggested_and_one_with_a_token_is_not() =>
        Verify("""
            [RpcService] public interface IS
            {
                Task<int> {|#0:UploadAsync|}(IAsyncEnumerable<int> values);
                IAsyncEnumerable<int> ChatAsync(IAsyncEnumerable<int> values, CancellationToken cancellationToken = default);
                Task<int> UnaryAsync(int value);
            }
            """,
            At(D.StreamWithoutCancellationToken, 0, "IS.UploadAsync"));

    [Fact]
    public Task RPC007_an_unserializable_serializer_call_is_reported_at_the_call() =>
        Verify("""
            public static class Use { public static byte[] Write(Action a) => {|#0:RpcSerializer.Serialize<Action>(a)|}; }
            """,
            At(D.TypeNotSerializable, 0, "RpcSerializer.Serialize<System.Action>", "System.Action", " (at System.Action)", "delegates cannot cross the wire"));

    [Fact]
    public Task A_problem_two_services_reach_is_reported_once_at_the_type_and_once_per_use() =>
        Verify("""
            public class Account { public int {|#0:Balance|} { get; private set; } }
            [RpcService] public interface IA { {|#1:Task<Account>|} GetAsync(); }
            [RpcService] public interface IB { {|#2:Task<Account>|} LoadAsync(); }
            """,
            At(D.IncludeNeedsPartial, 0, "Account", "Balance (its setter)"),
            At(D.TypeNotSerializable, 1, "Result of 'IA.GetAsync'", "Account", " (at Account)", "'Account' must be partial with [RpcMessage] to set member 'Balance'"),
            At(D.TypeNotSerializable, 2, "Result of 'IB.LoadAsync'", "Account", " (at Account)", "'Account' must be partial with [RpcMessage] to set member 'Balance'"));

    [Fact]
    public Task A_problem_in_an_RpcMessage_type_a_service_uses_is_reported_by_the_type_itself() =>
        Verify("""
            [RpcMessage] public class {|#1:Secretive|} { [RpcInclude] private int {|#0:hidden|}; }
            [RpcService] public interface IS { Task SaveAsync(Secretive {|#2:value|}); }
            """,
            At(D.IncludeNeedsPartial, 0, "Secretive", "hidden"),
            At(D.TypeNotSerializable, 1, "[RpcMessage] type 'Secretive'", "Secretive", " (at Secretive)", "'Secretive' must be partial to serialize non-public member 'hidden'"),
            At(D.TypeNotSerializable, 2, "Parameter 'value' of 'IS.SaveAsync'", "Secretive", " (at Secretive)", "'Secretive' must be partial to serialize non-public member 'hidden'"));

    // Besides this test, the framework checks every test above with '#pragma warning disable' over each whole file
    // and expects no diagnostic: all of them are suppressible.
    [Fact]
    public Task A_pragma_silences_a_diagnostic_at_its_own_syntax() =>
        new RpcAnalyzerTest("""
            public record Reply(string Text);
            [RpcService] public interface IS
            {
            #pragma warning disable RPC006
                Reply Get();
            #pragma warning restore RPC006
                {|#0:Reply|} Other();
            }
            """,
            At(D.UnsupportedReturnType, 0, "IS.Other", "Reply"))
        {
            // The framework's own check puts the whole file under '#pragma warning disable'; the restore above undoes it.
            TestBehaviors = TestBehaviors.SkipSuppressionCheck,
        }.RunAsync();

    [Fact]
    public Task A_valid_service_reports_nothing() =>
        Verify("""
            public record Reply(string Text);
            [RpcService] public interface IS
            {
                Task<Reply> GetAsync(string name, CancellationToken cancellationToken = default);
                IAsyncEnumerable<Reply> WatchAsync(CancellationToken cancellationToken = default);
            }
            """);

    [Fact]
    public void Every_descriptor_links_to_its_entry_in_docs_diagnostics()
    {
        foreach (DiagnosticDescriptor descriptor in new Generators.Analyzers.RpcContractAnalyzer().SupportedDiagnostics)
        {
            Assert.Equal(DiagnosticDescriptors.HelpDocument + "#" + descriptor.Id.ToLowerInvariant(), descriptor.HelpLinkUri);
        }
        string docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "diagnostics.md"));
        foreach (DiagnosticDescriptor descriptor in new Generators.Analyzers.RpcContractAnalyzer().SupportedDiagnostics)
        {
            Assert.Contains("### " + descriptor.Id + "\n", docs);
        }
        Assert.Equal(19, new Generators.Analyzers.RpcContractAnalyzer().SupportedDiagnostics.Length);
    }

    private static string RepositoryRoot()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "Rpc.Generators.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }
        return directory ?? throw new InvalidOperationException("Rpc.Generators.sln not found above " + AppContext.BaseDirectory);
    }
}
