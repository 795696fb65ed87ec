using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Rpc.Generators.Contracts;
using Rpc.Generators.Tests.Infrastructure;

namespace Rpc.Generators.Tests.Contracts;

/// <summary>
/// The contract lock: the Shop contract is compiled once to make the lock, then again with one change against it;
/// each class of change gives its diagnostic at the member that changed.
/// </summary>
public sealed class ContractLockTests
{
    private static readonly Lazy<string> s_lock = new(() => GeneratedContract.AssemblyJson(ContractSources.Shop));

    private static ImmutableArray<Diagnostic> Check(string source, string? lockText = null)
    {
        var (_, output, generatorDiagnostics) = TestCompilation.RunGenerator(TestCompilation.Create(source));
        Assert.Empty(generatorDiagnostics);
        var options = new AnalyzerOptions(ImmutableArray.Create<AdditionalText>(new LockText("/project/rpc-contract.lock.json", lockText ?? s_lock.Value)));
        return output.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ContractLockAnalyzer()), options)
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
    }

    private static string Changed(string from, string to)
    {
        Assert.Contains(from, ContractSources.Shop, StringComparison.Ordinal);
        return ContractSources.Shop.Replace(from, to);
    }

    private static Diagnostic Single(ImmutableArray<Diagnostic> diagnostics, string id, DiagnosticSeverity severity, string? at)
    {
        Diagnostic diagnostic = Assert.Single(diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(severity, diagnostic.Severity);
        if (at is not null)
        {
            Assert.True(diagnostic.Location.IsInSource, diagnostic.ToString());
            Assert.Equal(at, diagnostic.Location.SourceTree!.ToString().Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        }
        return diagnostic;
    }

    [Fact]
    public void An_unchanged_contract_matches_its_lock()
    {
        Assert.Empty(Check(ContractSources.Shop));
    }

    [Fact]
    public void A_removed_method_is_an_error_at_the_service()
    {
        Diagnostic d = Single(Check(Changed("    Task PayAsync(Payment payment, [Utf8String] string note);\n", "")), "RPC100", DiagnosticSeverity.Error, "IShop");
        Assert.Contains("shop.Shop/PayAsync(Shop.Payment, string)", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_retyped_parameter_is_an_error_at_the_parameter()
    {
        Diagnostic d = Single(Check(Changed("GetBasketAsync(int id,", "GetBasketAsync(long id,")), "RPC101", DiagnosticSeverity.Error, "id");
        Assert.Contains("parameter 'id' was int and is now long", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_retyped_result_is_an_error_at_the_method()
    {
        Single(Check(Changed("Task<int> UploadAsync", "Task<long> UploadAsync")), "RPC101", DiagnosticSeverity.Error, "UploadAsync");
    }

    [Fact]
    public void A_moved_method_id_is_an_error_at_the_method()
    {
        Diagnostic d = Single(Check(Changed("Task<Basket> GetBasketAsync", "[RpcMethod(7)] Task<Basket> GetBasketAsync")), "RPC102", DiagnosticSeverity.Error, "GetBasketAsync");
        Assert.Contains("now has 7", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Reordered_members_of_a_fixed_layout_type_are_errors_at_the_members()
    {
        ImmutableArray<Diagnostic> diagnostics = Check(Changed("record Line(string Sku, int Quantity,", "record Line(int Quantity, string Sku,"));
        Assert.Equal(2, diagnostics.Length);
        Assert.All(diagnostics, d => Assert.Equal("RPC103", d.Id));
        Assert.Contains(diagnostics, d => d.GetMessage().Contains("Sku moved from slot 0 to slot 1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_retyped_member_is_an_error_at_the_member()
    {
        Diagnostic d = Single(Check(Changed("public long Id { get; set; }", "public int Id { get; set; }")), "RPC103", DiagnosticSeverity.Error, "Id");
        Assert.Contains("was long and is now int", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_removed_member_of_a_fixed_layout_type_is_an_error()
    {
        Diagnostic d = Single(Check(Changed("    public int[]? Codes { get; set; }\n", "")), "RPC103", DiagnosticSeverity.Error, "Basket");
        Assert.Contains("Codes (slot 4) was removed", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_member_appended_to_a_fixed_layout_type_is_an_error()
    {
        Single(Check(Changed("public int[]? Codes { get; set; }", "public int[]? Codes { get; set; }\n    public int Extra { get; set; }")), "RPC103", DiagnosticSeverity.Error, "Extra");
    }

    [Fact]
    public void A_changed_union_tag_is_an_error_at_the_union()
    {
        Diagnostic d = Single(Check(Changed("[RpcUnion(5, typeof(Cash))]", "[RpcUnion(6, typeof(Cash))]")), "RPC104", DiagnosticSeverity.Error, "Payment");
        Assert.Contains("moved from tag 5 to tag 6", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_removed_union_case_is_an_error()
    {
        string source = Changed("[RpcUnion(5, typeof(Cash))]\n", "").Replace("[RpcMessage] public partial class Cash : Payment { public decimal Amount { get; set; } }", "");
        Diagnostic d = Single(Check(source), "RPC104", DiagnosticSeverity.Error, "Payment");
        Assert.Contains("Shop.Cash (tag 5) was removed", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_added_method_is_a_warning_at_the_method()
    {
        Single(Check(Changed("Task<int> UploadAsync", "Task<int> CountAsync(string what);\n    Task<int> UploadAsync")), "RPC110", DiagnosticSeverity.Warning, "CountAsync");
    }

    [Fact]
    public void A_member_appended_to_a_version_tolerant_type_is_a_warning_at_the_member()
    {
        Single(Check(Changed("[RpcOrder(2)] public string? Theme { get; set; }", "[RpcOrder(2)] public string? Theme { get; set; }\n    [RpcOrder(3)] public bool Dark { get; set; }")),
            "RPC110", DiagnosticSeverity.Warning, "Dark");
    }

    [Fact]
    public void An_unreadable_lock_is_a_warning()
    {
        Single(Check(ContractSources.Shop, "{ not json"), "RPC111", DiagnosticSeverity.Warning, at: null);
    }

    [Fact]
    public async Task Without_a_lock_file_nothing_is_reported()
    {
        var (_, output, _) = TestCompilation.RunGenerator(TestCompilation.Create(Changed("GetBasketAsync(int id,", "GetBasketAsync(long id,")));
        ImmutableArray<Diagnostic> diagnostics = await output.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ContractLockAnalyzer()))
            .GetAnalyzerDiagnosticsAsync();
        Assert.Empty(diagnostics);
    }

    private sealed class LockText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}
