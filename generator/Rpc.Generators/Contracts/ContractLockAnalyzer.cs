using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Rpc.Generators.Contracts;

/// <summary>
/// When the project has an <c>rpc-contract.lock.json</c> additional file, compares the contract the generator
/// emitted (<c>RpcContracts.Assembly</c>) with it and reports each breaking change as an error and each compatible
/// change the lock does not record as a warning, at the member that changed.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ContractLockAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The lock file's name; the package adds it as an additional file when the project has one.</summary>
    public const string LockFileName = "rpc-contract.lock.json";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        ContractLockDiagnostics.MethodRemoved,
        ContractLockDiagnostics.MethodChanged,
        ContractLockDiagnostics.MethodIdMoved,
        ContractLockDiagnostics.LayoutChanged,
        ContractLockDiagnostics.UnionCaseChanged,
        ContractLockDiagnostics.NotInLock,
        ContractLockDiagnostics.LockUnreadable);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationAction(Analyze);
    }

    private static void Analyze(CompilationAnalysisContext context)
    {
        AdditionalText? lockFile = context.Options.AdditionalFiles.FirstOrDefault(f =>
            string.Equals(Path.GetFileName(f.Path), LockFileName, StringComparison.OrdinalIgnoreCase));
        if (lockFile?.GetText(context.CancellationToken)?.ToString() is not { } lockText)
        {
            return;
        }
        Location lockLocation = Location.Create(lockFile.Path, default, default);
        ContractModel locked;
        ContractModel current;
        try
        {
            locked = ContractModel.Read(lockText);
        }
        catch (FormatException ex)
        {
            context.ReportDiagnostic(Diagnostic.Create(ContractLockDiagnostics.LockUnreadable, lockLocation, ex.Message));
            return;
        }
        string? currentJson = FindGeneratedContract(context.Compilation, context);
        current = currentJson is null ? new ContractModel() : ContractModel.Read(currentJson);
        foreach (ContractChange change in ContractComparer.Compare(locked, current))
        {
            Location location = Locate(context.Compilation, change.Target) ?? lockLocation;
            context.ReportDiagnostic(Diagnostic.Create(change.Descriptor, location, change.Args));
        }
    }

    /// <summary>The value of the generated <c>RpcContracts.Assembly</c> constant, or null when no service was generated.</summary>
    private static string? FindGeneratedContract(Compilation compilation, CompilationAnalysisContext context)
    {
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            if (!tree.FilePath.EndsWith("RpcContracts.g.cs", StringComparison.Ordinal))
            {
                continue;
            }
            foreach (VariableDeclaratorSyntax variable in tree.GetRoot(context.CancellationToken).DescendantNodes().OfType<VariableDeclaratorSyntax>())
            {
                if (variable.Identifier.Text == "Assembly" && variable.Initializer?.Value is LiteralExpressionSyntax literal)
                {
                    return literal.Token.ValueText;
                }
            }
        }
        return null;
    }

    private static Location? Locate(Compilation compilation, ChangeTarget target)
    {
        if (target.TypeName is null || FindType(compilation, target.TypeName) is not { } type)
        {
            return null;
        }
        if (target.MemberName is null)
        {
            return type.Locations.FirstOrDefault(l => l.IsInSource);
        }
        ISymbol? member;
        if (target.IsMethod)
        {
            IMethodSymbol[] methods = new[] { type }.Concat(type.AllInterfaces)
                .SelectMany(t => t.GetMembers(target.MemberName).OfType<IMethodSymbol>())
                .ToArray();
            IMethodSymbol? method = methods.FirstOrDefault(m => target.ParameterName is null || m.Parameters.Any(p => p.Name == target.ParameterName.TrimStart('@')))
                ?? methods.FirstOrDefault();
            member = target.ParameterName is { } parameter
                ? (ISymbol?)method?.Parameters.FirstOrDefault(p => p.Name == parameter.TrimStart('@')) ?? method
                : method;
        }
        else
        {
            member = type.GetMembers(target.MemberName).FirstOrDefault(m => m is IPropertySymbol or IFieldSymbol);
        }
        return (member ?? type).Locations.FirstOrDefault(l => l.IsInSource) ?? type.Locations.FirstOrDefault(l => l.IsInSource);
    }

    // Contract names use dots for nesting too (Shop.Outer.Inner); metadata names use '+'.
    private static INamedTypeSymbol? FindType(Compilation compilation, string name)
    {
        string candidate = name;
        while (true)
        {
            if (compilation.GetTypeByMetadataName(candidate) is { } type)
            {
                return type;
            }
            int dot = candidate.LastIndexOf('.');
            if (dot < 0)
            {
                return null;
            }
            candidate = candidate.Substring(0, dot) + "+" + candidate.Substring(dot + 1);
        }
    }
}
