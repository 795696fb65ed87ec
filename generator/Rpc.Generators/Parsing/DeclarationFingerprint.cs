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
using Microsoft.CodeAnalysis.Text;

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
        // The tree's text with every body cut out. Only the declarations are walked to find the bodies (not every token:
        // a first run hashes every file of the project), so an edit to a comment or blank line between members counts
        // as a change too; an edit inside a body, the common keystroke, does not.
        SourceText source = tree.GetText(cancellationToken);
        var bodies = new List<SyntaxNode>();
        CollectBodies(tree.GetRoot(cancellationToken), bodies);
        var text = new StringBuilder(source.Length + 64);
        text.Append(tree.FilePath).Append('\n');
        if (tree.Options is CSharpParseOptions options)
        {
            text.Append((int)options.LanguageVersion).Append(',').Append((int)options.Kind).Append('\n');
        }
        int position = 0;
        foreach (SyntaxNode body in bodies)
        {
            text.Append(source.ToString(TextSpan.FromBounds(position, body.SpanStart))).Append("{}\u0001");
            if (body.ContainsDirectives)
            {
                // A directive inside a body (#nullable, #pragma, #define...) still applies to the declarations after it.
                AppendDirectives(body.DescendantTrivia(), text);
            }
            position = body.Span.End;
        }
        text.Append(source.ToString(TextSpan.FromBounds(position, source.Length)));
        return sha.ComputeHash(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>The bodies under <paramref name="node"/> in document order: code that only runs, which no declaration's binding reads.</summary>
    private static void CollectBodies(SyntaxNode node, List<SyntaxNode> bodies)
    {
        switch (node)
        {
            case CompilationUnitSyntax unit:
                foreach (MemberDeclarationSyntax member in unit.Members)
                {
                    CollectBodies(member, bodies);
                }
                break;
            case BaseNamespaceDeclarationSyntax ns:
                foreach (MemberDeclarationSyntax member in ns.Members)
                {
                    CollectBodies(member, bodies);
                }
                break;
            case TypeDeclarationSyntax type:
                foreach (MemberDeclarationSyntax member in type.Members)
                {
                    CollectBodies(member, bodies);
                }
                break;
            case GlobalStatementSyntax statement:
                bodies.Add(statement);
                break;
            case BaseMethodDeclarationSyntax method:
                AddBody(method.Body, method.ExpressionBody, bodies);
                break;
            case BasePropertyDeclarationSyntax property:
                AddBody(null, (property as PropertyDeclarationSyntax)?.ExpressionBody ?? (property as IndexerDeclarationSyntax)?.ExpressionBody, bodies);
                foreach (AccessorDeclarationSyntax accessor in property.AccessorList?.Accessors ?? default)
                {
                    AddBody(accessor.Body, accessor.ExpressionBody, bodies);
                }
                break;
        }
    }

    private static void AddBody(BlockSyntax? block, ArrowExpressionClauseSyntax? arrow, List<SyntaxNode> bodies)
    {
        if (block is not null)
        {
            bodies.Add(block);
        }
        if (arrow is not null)
        {
            bodies.Add(arrow);
        }
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
}
