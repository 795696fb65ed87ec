using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Rpc.Generators.CodeFixes;
using D = Rpc.Generators.Diagnostics.DiagnosticDescriptors;

namespace Rpc.Analyzers.Tests;

/// <summary>One test per code fix: the diagnostic before, the fixed source after (and no diagnostic left).</summary>
public sealed class CodeFixTests
{
    private static DiagnosticResult At(DiagnosticDescriptor descriptor, int location, params object[] arguments) =>
        new DiagnosticResult(descriptor).WithLocation(location).WithArguments(arguments);

    [Fact]
    public Task RPC006_a_synchronous_result_is_wrapped_in_ValueTask() =>
        new RpcCodeFixTest<WrapReturnTypeInValueTaskFix>(
            """
            public record Reply(string Text);
            [RpcService] public interface IS
            {
                {|#0:Reply|} Get(string name);
                {|#1:void|} Ping();
            }
            """,
            """
            public record Reply(string Text);
            [RpcService] public interface IS
            {
                ValueTask<Reply> Get(string name);
                ValueTask Ping();
            }
            """,
            At(D.UnsupportedReturnType, 0, "IS.Get", "Reply"),
            At(D.UnsupportedReturnType, 1, "IS.Ping", "void")).RunAsync();

    [Fact]
    public Task RPC006_the_fix_adds_the_using_it_needs() =>
        new RpcCodeFixTest<WrapReturnTypeInValueTaskFix>(
            source: "",
            fixedSource: "",
            At(D.UnsupportedReturnType, 0, "IS.Count", "int"))
        {
            TestCode = """
                using Rpc;
                [RpcService] public interface IS { {|#0:int|} Count(); }
                """,
            FixedCode = """
                using System.Threading.Tasks;
                using Rpc;
                [RpcService] public interface IS { ValueTask<int> Count(); }
                """,
        }.RunAsync();

    [Fact]
    public Task RPC004_ref_out_and_in_are_removed() =>
        new RpcCodeFixTest<RemoveByRefModifierFix>(
            """
            [RpcService] public interface IS
            {
                Task PutAsync(ref int {|#0:value|});
                Task GetAsync(int key, out int {|#1:result|});
                Task ReadAsync(in long {|#2:input|});
            }
            """,
            """
            [RpcService] public interface IS
            {
                Task PutAsync(int value);
                Task GetAsync(int key, int result);
                Task ReadAsync(long input);
            }
            """,
            At(D.ByRefParameterNotSupported, 0, "value", "IS.PutAsync", "ref"),
            At(D.ByRefParameterNotSupported, 1, "result", "IS.GetAsync", "out"),
            At(D.ByRefParameterNotSupported, 2, "input", "IS.ReadAsync", "in")).RunAsync();

    [Fact]
    public Task RPC012_the_type_and_its_containing_types_become_partial() =>
        new RpcCodeFixTest<MakeTypePartialFix>(
            """
            public static class Outer
            {
                [RpcMessage] public class {|#1:Secretive|} { [RpcInclude] private int {|#0:hidden|}; public int Visible { get; set; } }
            }
            """,
            """
            public static partial class Outer
            {
                [RpcMessage] public partial class Secretive { [RpcInclude] private int hidden; public int Visible { get; set; } }
            }
            """,
            At(D.IncludeNeedsPartial, 0, "Outer.Secretive", "hidden"),
            At(D.TypeNotSerializable, 1, "[RpcMessage] type 'Outer.Secretive'", "Outer.Secretive", " (at Outer.Secretive)", "'Outer.Secretive' must be partial to serialize non-public member 'hidden'"))
        {
            // RPC007 (reported beside RPC012, at the type) has no fix of its own; the RPC012 fix clears both, so the
            // fixed state expects nothing rather than inheriting RPC007.
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipFixAllCheck,
            FixedState = { InheritanceMode = StateInheritanceMode.Explicit },
        }.RunAsync();

    [Fact]
    public Task RPC012_a_type_without_modifiers_becomes_partial() =>
        new RpcCodeFixTest<MakeTypePartialFix>(
            """
            [RpcMessage] class {|#1:Secretive|} { [RpcInclude] private int {|#0:hidden|}; }
            """,
            """
            [RpcMessage] partial class Secretive { [RpcInclude] private int hidden; }
            """,
            At(D.IncludeNeedsPartial, 0, "Secretive", "hidden"),
            At(D.TypeNotSerializable, 1, "[RpcMessage] type 'Secretive'", "Secretive", " (at Secretive)", "'Secretive' must be partial to serialize non-public member 'hidden'"))
        {
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipFixAllCheck,
            FixedState = { InheritanceMode = StateInheritanceMode.Explicit },
        }.RunAsync();

    [Fact]
    public Task RPC008_the_second_method_is_pinned_to_the_next_free_id() =>
        new RpcCodeFixTest<PinMethodIdFix>(
            """
            [RpcService] public interface IS
            {
                [RpcMethod(7)] Task AAsync();
                [RpcMethod(8)] Task CAsync();
                [RpcMethod(7)] Task {|#0:BAsync|}();
            }
            """,
            """
            [RpcService] public interface IS
            {
                [RpcMethod(7)] Task AAsync();
                [RpcMethod(8)] Task CAsync();
                [RpcMethod(9)] Task BAsync();
            }
            """,
            At(D.MethodIdCollision, 0, "AAsync", "BAsync", "IS", "00000007")).RunAsync();

    [Fact]
    public Task RPC008_an_unpinned_method_that_collides_gets_a_pin() =>
        new RpcCodeFixTest<PinMethodIdFix>(
            $$"""
            [RpcService("S")] public interface IS
            {
                [RpcMethod({{CollidingId}})] Task AAsync();
                Task {|#0:BAsync|}();
            }
            """,
            $$"""
            [RpcService("S")] public interface IS
            {
                [RpcMethod({{CollidingId}})] Task AAsync();
                [RpcMethod(0x{{CollidingId + 1:X8}})] Task BAsync();
            }
            """,
            At(D.MethodIdCollision, 0, "AAsync", "BAsync", "S", CollidingId.ToString("X8"))).RunAsync();

    /// <summary>The id BAsync of service "S" gets from the hash (docs/protocol.md): FNV-1a of "S/BAsync()".</summary>
    private static uint CollidingId
    {
        get
        {
            uint hash = 2166136261;
            foreach (byte b in System.Text.Encoding.UTF8.GetBytes("S/BAsync()"))
            {
                hash = (hash ^ b) * 16777619;
            }
            return hash;
        }
    }

    [Fact]
    public Task RPC019_a_cancellation_token_is_appended_to_streaming_methods() =>
        new RpcCodeFixTest<AddCancellationTokenFix>(
            """
            [RpcService] public interface IS
            {
                IAsyncEnumerable<int> {|#0:WatchAsync|}(string symbol);
                Task<int> {|#1:SumAsync|}(IAsyncEnumerable<int> values);
                IAsyncEnumerable<int> {|#2:TicksAsync|}();
            }
            """,
            """
            [RpcService] public interface IS
            {
                IAsyncEnumerable<int> WatchAsync(string symbol, CancellationToken cancellationToken = default);
                Task<int> SumAsync(IAsyncEnumerable<int> values, CancellationToken cancellationToken = default);
                IAsyncEnumerable<int> TicksAsync(CancellationToken cancellationToken = default);
            }
            """,
            At(D.StreamWithoutCancellationToken, 0, "IS.WatchAsync"),
            At(D.StreamWithoutCancellationToken, 1, "IS.SumAsync"),
            At(D.StreamWithoutCancellationToken, 2, "IS.TicksAsync")).RunAsync();
}
