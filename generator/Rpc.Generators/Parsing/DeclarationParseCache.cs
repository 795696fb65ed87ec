using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Rpc.Generators.Parsing;

/// <summary>
/// Gives a <c>ForAttributeWithMetadataName</c> transform the result it returned for the same declaration in an earlier
/// compilation with the same <see cref="DeclarationFingerprint"/>. The driver runs the transform again for every
/// attributed node whenever the compilation changes (a keystroke in any method body), and the parse binds every
/// method signature of the service; when no declaration changed anywhere, that parse can only give the same model.
/// </summary>
/// <remarks>
/// Only results the caller calls reusable are kept (those without diagnostics, whose locations could have moved).
/// Results are strings and flags only; the fingerprints hold the compilation's options and references weakly, and
/// the few most recent sets of declarations are kept (one per project being edited, in an IDE).
/// </remarks>
internal sealed class DeclarationParseCache<T>
    where T : class
{
    private const int KeptDeclarationSets = 4;

    private readonly ConditionalWeakTable<Compilation, CompilationEntry> _compilations = new();
    private readonly List<DeclarationSet> _sets = new(); // the most recently used first
    private readonly System.Func<T, bool> _reusable;

    public DeclarationParseCache(System.Func<T, bool> reusable) => _reusable = reusable;

    public T GetOrParse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken, System.Func<GeneratorAttributeSyntaxContext, CancellationToken, T> parse)
    {
        Compilation compilation = context.SemanticModel.Compilation;
        if (!_compilations.TryGetValue(compilation, out CompilationEntry? entry))
        {
            var fresh = new CompilationEntry(compilation, SetFor(DeclarationFingerprint.Of(compilation, cancellationToken)));
            entry = _compilations.GetValue(compilation, _ => fresh);
        }
        if (!entry.TreeIndexes.TryGetValue(context.TargetNode.SyntaxTree, out int treeIndex))
        {
            return parse(context, cancellationToken);
        }
        string key = NodeKey(context.TargetNode, treeIndex);
        if (entry.Set.Results.TryGetValue(key, out T? known))
        {
            return known;
        }
        T result = parse(context, cancellationToken);
        if (_reusable(result))
        {
            entry.Set.Results[key] = result;
        }
        return result;
    }

    private DeclarationSet SetFor(DeclarationFingerprint fingerprint)
    {
        lock (_sets)
        {
            for (int i = 0; i < _sets.Count; i++)
            {
                if (_sets[i].Fingerprint.Matches(fingerprint))
                {
                    DeclarationSet found = _sets[i];
                    _sets.RemoveAt(i);
                    _sets.Insert(0, found);
                    return found;
                }
            }
            var set = new DeclarationSet(fingerprint);
            _sets.Insert(0, set);
            if (_sets.Count > KeptDeclarationSets)
            {
                _sets.RemoveAt(_sets.Count - 1);
            }
            return set;
        }
    }

    /// <summary>
    /// The declaration's place in a compilation whose declarations are known to be the same: its tree's position and
    /// the names that enclose it. Not its offset, so an edit in a body above it in the same file still finds it.
    /// </summary>
    private static string NodeKey(SyntaxNode node, int treeIndex)
    {
        var key = new StringBuilder().Append(treeIndex);
        for (SyntaxNode? current = node; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case TypeDeclarationSyntax type:
                    key.Append(':').Append(type.Identifier.ValueText).Append('`').Append(type.Arity);
                    break;
                case BaseTypeDeclarationSyntax type:
                    key.Append(':').Append(type.Identifier.ValueText);
                    break;
                case BaseNamespaceDeclarationSyntax ns:
                    key.Append(':').Append(ns.Name.ToString());
                    break;
            }
        }
        return key.ToString();
    }

    private sealed class DeclarationSet(DeclarationFingerprint fingerprint)
    {
        public DeclarationFingerprint Fingerprint { get; } = fingerprint;

        public ConcurrentDictionary<string, T> Results { get; } = new(System.StringComparer.Ordinal);
    }

    private sealed class CompilationEntry
    {
        public CompilationEntry(Compilation compilation, DeclarationSet set)
        {
            Set = set;
            int index = 0;
            foreach (SyntaxTree tree in compilation.SyntaxTrees)
            {
                TreeIndexes[tree] = index++;
            }
        }

        public DeclarationSet Set { get; }

        public Dictionary<SyntaxTree, int> TreeIndexes { get; } = new();
    }
}
