using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
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
    /// Reports <paramref name="diagnostics"/>; <paramref name="properties"/> travel with each to code fixes (for example
    /// which service a method belongs to).
    /// </summary>
    public void Report(IEnumerable<DiagnosticInfo> diagnostics, Action<Diagnostic> report, ImmutableDictionary<string, string?>? properties = null)
    {
        foreach (DiagnosticInfo info in diagnostics)
        {
            if (!DiagnosticDescriptors.ById.TryGetValue(info.DescriptorId, out DiagnosticDescriptor? descriptor))
            {
                continue;
            }
            Diagnostic diagnostic = Diagnostic.Create(descriptor, Locate(info.Location), properties, info.MessageArgs.Items.Cast<object>().ToArray());
            if (IsFirst(diagnostic))
            {
                report(diagnostic);
            }
        }
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
