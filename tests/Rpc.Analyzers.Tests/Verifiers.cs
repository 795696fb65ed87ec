using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Rpc.Generators.Analyzers;

namespace Rpc.Analyzers.Tests;

/// <summary>
/// The test framework set up for Rpc: .NET 10 reference assemblies from Basic.Reference.Assemblies (no download)
/// and the Rpc runtime, whose attributes the analyzer matches.
/// </summary>
internal static class RpcTestSetup
{
    public static readonly ImmutableArray<MetadataReference> References = Basic.Reference.Assemblies.Net100.References.All
        .Cast<MetadataReference>()
        .Append(MetadataReference.CreateFromFile(typeof(RpcServiceAttribute).Assembly.Location))
        .ToImmutableArray();

    /// <summary>The usings every test source starts with.</summary>
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Rpc;
        using Rpc.Serialization;

        """;

    public static void Apply(SolutionState state)
    {
        // An empty set: nothing to resolve, so nothing is downloaded.
        state.ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        state.AdditionalReferences.AddRange(References);
    }
}

/// <summary>Runs <see cref="RpcContractAnalyzer"/> on sources and compares its diagnostics with the expected ones.</summary>
internal sealed class RpcAnalyzerTest : CSharpAnalyzerTest<RpcContractAnalyzer, DefaultVerifier>
{
    public RpcAnalyzerTest(string source, params DiagnosticResult[] expected)
    {
        RpcTestSetup.Apply(TestState);
        TestCode = RpcTestSetup.Usings + source;
        ExpectedDiagnostics.AddRange(expected);
    }
}

/// <summary>Runs <see cref="RpcContractAnalyzer"/> and <typeparamref name="TCodeFix"/>, comparing the fixed source.</summary>
internal sealed class RpcCodeFixTest<TCodeFix> : CSharpCodeFixTest<RpcContractAnalyzer, TCodeFix, DefaultVerifier>
    where TCodeFix : CodeFixProvider, new()
{
    public RpcCodeFixTest(string source, string fixedSource, params DiagnosticResult[] expected)
    {
        RpcTestSetup.Apply(TestState);
        RpcTestSetup.Apply(FixedState);
        TestCode = RpcTestSetup.Usings + source;
        FixedCode = RpcTestSetup.Usings + fixedSource;
        ExpectedDiagnostics.AddRange(expected);
    }
}
