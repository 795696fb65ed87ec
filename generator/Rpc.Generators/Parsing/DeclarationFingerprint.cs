using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Rpc.Generators.Parsing;

/// <summary>
/// What every symbol's declaration in a compilation is bound from: the text of its syntax trees without the bodies of
/// methods, accessors and top-level statements (binding a declaration never reads a body), the compilation options
/// and the references. Two compilations with equal fingerprints declare the same symbols with the same signatures and
/// attributes, so a parse of their declarations gives the same models in both; an edit inside a method body elsewhere
/// leaves the fingerprint as it was.
/// </summary>
internal sealed class DeclarationFingerprint
{
    private static readonly ConditionalWeakTable<SyntaxTree, byte[]> s_trees = new();

    private readonly byte[] _declarations;
    private readonly string? _assemblyName;
    // Held weakly: a fingerprint outlives its compilation in the parse caches and must not keep references' metadata alive.
    private readonly WeakReference<CompilationOptions> _options;
    private readonly WeakReference<MetadataReference>[] _references;

    private DeclarationFingerprint(byte[] declarations, Compilation compilation)
    {
        _declarations = declarations;
        _assemblyName = compilation.AssemblyName;
        _options = new WeakReference<CompilationOptions>(compilation.Options);
        _references = compilation.References.Select(r => new WeakReference<MetadataReference>(r)).ToArray();
    }

    private static readonly ConditionalWeakTable<Compilation, DeclarationFingerprint> s_compilations = new();

    /// <summary>The fingerprint of <paramref name="compilation"/>, computed once; a tree seen in an earlier compilation is not read again.</summary>
    public static DeclarationFingerprint Of(Compilation compilation, CancellationToken cancellationToken)
    {
        if (!s_compilations.TryGetValue(compilation, out DeclarationFingerprint? fingerprint))
        {
            fingerprint = Compute(compilation, cancellationToken);
            fingerprint = s_compilations.GetValue(compilation, _ => fingerprint);
        }
        return fingerprint;
    }

    private static DeclarationFingerprint Compute(Compilation compilation, CancellationToken cancellationToken)
    {
        using SHA256 sha = SHA256.Create();
        var all = new List<byte>();
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!s_trees.TryGetValue(tree, out byte[]? hash))
            {
                hash = s_trees.GetValue(tree, t => Hash(sha, t, cancellationToken));
            }
            all.AddRange(hash);
        }
        return new DeclarationFingerprint(sha.ComputeHash(all.ToArray()), compilation);
    }

    /// <summary>True when both compilations declare the same symbols over the same (still loaded) references.</summary>
    public bool Matches(DeclarationFingerprint other)
    {
        if (!_declarations.SequenceEqual(other._declarations)
            || _assemblyName != other._assemblyName
            || _references.Length != other._references.Length
            || !SameTarget(_options, other._options, (a, b) => a.Equals(b)))
        {
            return false;
        }
        for (int i = 0; i < _references.Length; i++)
        {
            if (!SameTarget(_references[i], other._references[i], static (a, b) => false))
            {
                return false;
            }
        }
        return true;
    }

    private static bool SameTarget<T>(WeakReference<T> x, WeakReference<T> y, Func<T, T, bool> equal) where T : class =>
        x.TryGetTarget(out T? a) && y.TryGetTarget(out T? b) && (ReferenceEquals(a, b) || equal(a, b));

    private static byte[] Hash(SHA256 sha, SyntaxTree tree, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        text.Append(tree.FilePath).Append('\n');
        if (tree.Options is CSharpParseOptions options)
        {
            text.Append((int)options.LanguageVersion).Append(',').Append((int)options.Kind).Append('\n');
        }
        foreach (SyntaxNodeOrToken item in tree.GetRoot(cancellationToken).DescendantNodesAndTokens(static node => !IsBody(node)))
        {
            if (item.IsToken)
            {
                SyntaxToken token = item.AsToken();
                if (token.ContainsDirectives)
                {
                    AppendDirectives(token.LeadingTrivia, text);
                }
                text.Append(token.Text).Append('\u0001');
            }
            else if (item.AsNode() is { } node && IsBody(node))
            {
                // The body itself is left out, but a directive inside it (#nullable, #pragma, #define...) still
                // applies to the declarations after it.
                text.Append("{}\u0001");
                if (node.ContainsDirectives)
                {
                    AppendDirectives(node.DescendantTrivia(), text);
                }
            }
        }
        return sha.ComputeHash(Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static void AppendDirectives(IEnumerable<SyntaxTrivia> trivia, StringBuilder text)
    {
        foreach (SyntaxTrivia item in trivia)
        {
            if (item.IsDirective)
            {
                text.Append(item.ToFullString()).Append('\u0001');
            }
        }
    }

    /// <summary>Code that only runs: nothing a declaration's binding reads.</summary>
    private static bool IsBody(SyntaxNode node) => node switch
    {
        BlockSyntax { Parent: BaseMethodDeclarationSyntax or AccessorDeclarationSyntax } => true,
        ArrowExpressionClauseSyntax { Parent: BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or PropertyDeclarationSyntax or IndexerDeclarationSyntax } => true,
        GlobalStatementSyntax => true,
        _ => false,
    };
}
