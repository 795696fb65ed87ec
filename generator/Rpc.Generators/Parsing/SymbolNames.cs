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

    public static string ToAnnotatedName(this ITypeSymbol type) => type.ToDisplayString(Annotated);

    public static string ToPlainName(this ITypeSymbol type) =>
        type.WithNullableAnnotation(NullableAnnotation.None).ToDisplayString(Plain);

    /// <summary>The metadata name with namespace, e.g. <c>System.Collections.Generic.List`1</c>.</summary>
    public static string MetadataFullName(this INamedTypeSymbol type)
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
        string name = type.MetadataFullName();
        return name == metadataFullName || name == WellKnownNames.MemoryPackTwinOf(metadataFullName);
    }
}
