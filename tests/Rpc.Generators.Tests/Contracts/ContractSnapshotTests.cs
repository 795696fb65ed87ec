using Microsoft.CodeAnalysis;
using Rpc.Generators.Tests.Infrastructure;

namespace Rpc.Generators.Tests.Contracts;

/// <summary>The contract document the generator emits (docs/contracts.md), pinned.</summary>
public sealed class ContractSnapshotTests
{
    [Fact]
    public void The_assembly_contract_matches_the_approved_snapshot()
    {
        string json = GeneratedContract.AssemblyJson(ContractSources.Shop);
        Snapshot.Verify("Contracts.Shop.rpc-contract", json);
    }

    [Fact]
    public void The_contract_is_the_same_text_for_the_same_source()
    {
        Assert.Equal(GeneratedContract.AssemblyJson(ContractSources.Shop), GeneratedContract.AssemblyJson(ContractSources.Shop));
    }

    [Fact]
    public void Moving_a_declaration_to_another_file_does_not_change_the_contract()
    {
        const string Enum = "public enum Colour : byte { Red = 1, Green = 2 }\n";
        string withoutEnum = ContractSources.Shop.Replace(Enum, string.Empty);
        var (_, output, diagnostics) = TestCompilation.RunGenerator(TestCompilation.Create("namespace Shop;\n" + Enum, withoutEnum));
        Assert.Empty(diagnostics);
        Assert.Equal(GeneratedContract.AssemblyJson(ContractSources.Shop), GeneratedContract.AssemblyJson(output));
    }

    [Fact]
    public void The_module_initializer_registers_each_service_contract_with_the_runtime()
    {
        var (_, output, diagnostics) = TestCompilation.RunGenerator(TestCompilation.Create(ContractSources.Shop.Replace("shop.Shop", "shop.RegisteredShop")));
        Assert.Empty(diagnostics);
        // Module initializers run when the module is first used; the test makes that happen now.
        System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(TestCompilation.EmitAndLoad(output).ManifestModule.ModuleHandle);
        Assert.True(Rpc.Contracts.RpcContractRegistry.TryGetContract("shop.RegisteredShop", out string contract));
        // Compact: only programs read the registered contract (the rpc tool indents what it prints).
        Assert.Contains("\"name\":\"shop.RegisteredShop\"", contract, StringComparison.Ordinal);
    }
}
