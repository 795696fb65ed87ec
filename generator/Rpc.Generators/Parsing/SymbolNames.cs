using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.CodeAnalysis;

namespace Rpc.Generators.Parsing;

/// <summary>How symbols become names in generated source and in keys.</summary>
internal static class SymbolNames
{
    /// <summary><c>global::</c>-qualified, with nullable annotations: for declarations that must match the user's.</summary>
    public static readonly SymbolDisplayFormat Annotated = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary><c>global::</c>-qualified, without nullable reference annotations: runtime type identity.</summary>
    public static readonly SymbolDisplayFormat Plain = SymbolDisplayFormat.FullyQualifiedFormat;

    // A service parse asks for the same few names thousands of times (20 message types behind 5,000 methods), and
    // each ToDisplayString walks the symbol again; the names are remembered per symbol (held weakly, so nothing
    // outlives its compilation). Keyed by the annotation-free symbol, the one Roslyn keeps for a type.
    private static readonly ConditionalWeakTable<ITypeSymbol, DisplayNames> s_displayNames = new();
    private static readonly ConditionalWeakTable<INamedTypeSymbol, string> s_metadataFullNames = new();

    public static string ToAnnotatedName(this ITypeSymbol type)
    {
        if (!IsKeptBySymbol(type))
        {
            return type.ToDisplayString(Annotated);
        }
        DisplayNames names = s_displayNames.GetValue(type.WithNullableAnnotation(NullableAnnotation.None), static _ => new DisplayNames());
        int annotation = (int)type.NullableAnnotation;
        return names.Annotated[annotation] ??= type.ToDisplayString(Annotated);
    }

    public static string ToPlainName(this ITypeSymbol type)
    {
        ITypeSymbol plain = type.WithNullableAnnotation(NullableAnnotation.None);
        if (!IsKeptBySymbol(type))
        {
            return plain.ToDisplayString(Plain);
        }
        DisplayNames names = s_displayNames.GetValue(plain, static _ => new DisplayNames());
        return names.Plain ??= plain.ToDisplayString(Plain);
    }

    // A constructed type (Task<Reply>, Reply[]) is a new symbol wherever it is written, so remembering its name would
    // only fill the table; a named type without type arguments is one symbol per compilation.
    private static bool IsKeptBySymbol(ITypeSymbol type) => type is INamedTypeSymbol { IsGenericType: false, TypeKind: not TypeKind.Error };

    /// <summary>The metadata name with namespace, e.g. <c>System.Collections.Generic.List`1</c>.</summary>
    public static string MetadataFullName(this INamedTypeSymbol type) =>
        s_metadataFullNames.GetValue(type.OriginalDefinition, static definition => ComputeMetadataFullName(definition));

    private static string ComputeMetadataFullName(INamedTypeSymbol type)
    {
        var builder = new StringBuilder();
        AppendContainers(builder, type);
        builder.Append(type.MetadataName);
        return builder.ToString();
    }

    private static void AppendContainers(StringBuilder builder, INamedTypeSymbol type)
    {
        if (type.ContainingType is { } container)
        {
            AppendContainers(builder, container);
            builder.Append(container.MetadataName).Append('+');
        }
        else if (type.ContainingNamespace is { IsGlobalNamespace: false } ns)
        {
            builder.Append(ns.ToDisplayString()).Append('.');
        }
    }

    /// <summary>The namespace as written in a namespace declaration, or empty for the global namespace.</summary>
    public static string NamespaceOf(ISymbol symbol) =>
        symbol.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : string.Empty;

    /// <summary>
    /// True for a type with the given full metadata name; for an Rpc attribute, its MemoryPack twin matches too
    /// (<c>[MemoryPackOrder]</c> is <c>[RpcOrder]</c>), so existing MemoryPack types work unchanged.
    /// </summary>
    public static bool Is(this INamedTypeSymbol? type, string metadataFullName)
    {
        if (type is null)
        {
            return false;
        }
        // Most types asked about are not the one looked for: their simple metadata name says so without the full one.
        string? twin = WellKnownNames.MemoryPackTwinOf(metadataFullName);
        if (!EndsWithName(metadataFullName, type.MetadataName) && (twin is null || !EndsWithName(twin, type.MetadataName)))
        {
            return false;
        }
        string name = type.MetadataFullName();
        return name == metadataFullName || name == twin;
    }

    private static bool EndsWithName(string fullName, string name) =>
        fullName.Length == name.Length
            ? fullName == name
            : fullName.Length > name.Length && fullName.EndsWith(name, System.StringComparison.Ordinal) && fullName[fullName.Length - name.Length - 1] is '.' or '+';

    /// <summary>A type's display names, by <see cref="NullableAnnotation"/> for the annotated ones; filled as asked.</summary>
    private sealed class DisplayNames
    {
        public string?[] Annotated { get; } = new string?[3];

        public string? Plain { get; set; }
    }
}
