using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Rpc.Generators.Diagnostics;
using Rpc.Generators.Model;

namespace Rpc.Generators.Analyzers;

/// <summary>
/// Turns the parser's <see cref="DiagnosticInfo"/>s (a file path and a span, so the generator's cache pins no tree)
/// into diagnostics on the compilation's real syntax trees, where <c>#pragma warning disable</c>, <c>.editorconfig</c>
/// severities and suppressions apply. One per compilation: a problem in a type that several services reach is
/// reported once.
/// </summary>
internal sealed class ParserDiagnosticReporter
{
    private readonly Lazy<Dictionary<string, SyntaxTree>> _treesByPath;
    private readonly ConcurrentDictionary<string, bool> _reported = new(StringComparer.Ordinal);

    public ParserDiagnosticReporter(Compilation compilation) =>
        _treesByPath = new Lazy<Dictionary<string, SyntaxTree>>(() => IndexTrees(compilation));

    /// <summary>
    /// Reports what the parsers found while analyzing <paramref name="analyzed"/>; <paramref name="properties"/> travel
    /// with each to code fixes (for example which service a method belongs to). A diagnostic inside the symbol's own
    /// declaration is always reported. One elsewhere (a problem in a type a service reaches) is reported once per
    /// compilation, and not at all inside an <c>[RpcMessage]</c> type: that type's own analysis reports it locally,
    /// where the IDE shows it and offers its fix.
    /// </summary>
    public void Report(ISymbol analyzed, IEnumerable<DiagnosticInfo> diagnostics, Action<Diagnostic> report, CancellationToken cancellationToken, ImmutableDictionary<string, string?>? properties = null)
    {
        foreach (DiagnosticInfo info in diagnostics)
        {
            if (!DiagnosticDescriptors.ById.TryGetValue(info.DescriptorId, out DiagnosticDescriptor? descriptor))
            {
                continue;
            }
            Diagnostic diagnostic = Diagnostic.Create(descriptor, Locate(info.Location), properties, info.MessageArgs.Items.Cast<object>().ToArray());
            if (IsLocalTo(analyzed, diagnostic.Location)
                || !IsInMessageType(diagnostic.Location, cancellationToken) && IsFirst(diagnostic))
            {
                report(diagnostic);
            }
        }
    }

    private static bool IsLocalTo(ISymbol symbol, Location location) =>
        symbol.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == location.SourceTree && r.Span.Contains(location.SourceSpan));

    /// <summary>Whether <paramref name="location"/> lies in a type declared with <c>[RpcMessage]</c> (read from syntax: this runs only for problems).</summary>
    private static bool IsInMessageType(Location location, CancellationToken cancellationToken) =>
        location.SourceTree is { } tree
        && tree.GetRoot(cancellationToken).FindNode(location.SourceSpan).AncestorsAndSelf().OfType<BaseTypeDeclarationSyntax>()
            .Any(type => type.AttributeLists.SelectMany(list => list.Attributes).Any(IsRpcMessage));

    private static bool IsRpcMessage(AttributeSyntax attribute)
    {
        string name = attribute.Name switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax aliased => aliased.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => string.Empty,
        };
        return name is "RpcMessage" or "RpcMessageAttribute";
    }

    /// <summary>True the first time this compilation sees <paramref name="diagnostic"/> (same id, place and message).</summary>
    public bool IsFirst(Diagnostic diagnostic) =>
        _reported.TryAdd($"{diagnostic.Id}|{diagnostic.Location.SourceTree?.FilePath}|{diagnostic.Location.SourceSpan}|{diagnostic.GetMessage()}", true);

    private Location Locate(LocationInfo? location) =>
        location is not null && _treesByPath.Value.TryGetValue(location.FilePath, out SyntaxTree? tree)
            ? Location.Create(tree, location.Span)
            : Location.None;

    private static Dictionary<string, SyntaxTree> IndexTrees(Compilation compilation)
    {
        var trees = new Dictionary<string, SyntaxTree>(StringComparer.Ordinal);
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            if (!trees.ContainsKey(tree.FilePath))
            {
                trees.Add(tree.FilePath, tree);
            }
        }
        return trees;
    }
}
