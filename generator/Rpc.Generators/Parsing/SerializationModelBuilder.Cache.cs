using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Rpc.Generators.Model;

namespace Rpc.Generators.Parsing;

/// <summary>
/// Every transform re-runs on every compilation change (ForAttributeWithMetadataName combines its nodes with the
/// compilation), so 500 services x 10 methods over 20 messages would walk the same 20 types 10,000 times per
/// keystroke. A root's walk depends only on its type symbol, and symbols belong to one compilation (source symbols are
/// rebuilt for every compilation), so the walk of a root is remembered per symbol: the table holds the symbol weakly
/// and the remembered value is strings only, so no compilation is kept alive.
/// </summary>
internal sealed partial class SerializationModelBuilder
{
    private static readonly ConditionalWeakTable<ITypeSymbol, CachedRoot> s_roots = new();

    /// <summary>The formatters and registrations a root reaches, or null when its walk reported anything.</summary>
    private sealed class CachedRoot(SerializationSpec? spec)
    {
        public SerializationSpec? Spec { get; } = spec;
    }

    /// <summary>
    /// Adds a root from the cache when its walk is known to be clean; false when it must be walked here (a walk that
    /// fails or reports is redone in place so its diagnostics come out exactly as before).
    /// </summary>
    private bool TryAddCachedRoot(ITypeSymbol type)
    {
        // Top-level nullability changes only failure messages, which are never cached; the annotation-free symbol is
        // the one Roslyn keeps, so every use of a type finds the same entry.
        CachedRoot cached = s_roots.GetValue(type.WithNullableAnnotation(NullableAnnotation.None), static root =>
        {
            var diagnostics = new System.Collections.Generic.List<DiagnosticInfo>();
            var fresh = new SerializationModelBuilder(diagnostics);
            string? failure = fresh.Visit(root, root.ToDisplayString());
            return new CachedRoot(failure is null && diagnostics.Count == 0 ? fresh.ToSpec() : null);
        });
        if (cached.Spec is not { } spec)
        {
            return false;
        }
        foreach (FormatterSpec formatter in spec.Formatters)
        {
            if (!_formatters.ContainsKey(formatter.Key))
            {
                _formatters.Add(formatter.Key, formatter);
            }
        }
        foreach (RegistrationSpec registration in spec.Registrations)
        {
            if (!_registrations.ContainsKey(registration.TypeName))
            {
                _registrations.Add(registration.TypeName, registration);
            }
        }
        return true;
    }
}
