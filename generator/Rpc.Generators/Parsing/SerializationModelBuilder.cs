using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Rpc.Generators.Diagnostics;
using Rpc.Generators.Model;

namespace Rpc.Generators.Parsing;

/// <summary>
/// Walks every type reachable from a root (a parameter, a result, a message, a serializer call) and decides how
/// each is written: raw (unmanaged), a built-in formatter registered for the closed type, or a generated formatter.
/// Produces value models only; the symbols it sees never leave it.
/// </summary>
internal sealed partial class SerializationModelBuilder
{
    private readonly Dictionary<string, FormatterSpec> _formatters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RegistrationSpec> _registrations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _visited = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reportedTypes = new(StringComparer.Ordinal);
    private readonly List<DiagnosticInfo> _diagnostics;

    public SerializationModelBuilder(List<DiagnosticInfo> diagnostics) => _diagnostics = diagnostics;

    public SerializationSpec ToSpec() => new(
        _formatters.Values.OrderBy(f => f.Key, StringComparer.Ordinal).ToEquatableArray(),
        _registrations.Values.OrderBy(r => r.TypeName, StringComparer.Ordinal).ToEquatableArray());

    /// <summary>
    /// Adds <paramref name="type"/> and everything it reaches. On failure reports RPC007 at
    /// <paramref name="location"/>, naming <paramref name="context"/> and the member path, and returns false.
    /// </summary>
    public bool AddRoot(ITypeSymbol type, Location? location, string context)
    {
        if (TryAddCachedRoot(type))
        {
            return true;
        }
        string? failure = Visit(type, type.ToDisplayString());
        if (failure is null)
        {
            return true;
        }
        if (FailureAdvice(failure) == UnresolvedType)
        {
            return false; // the compiler reports the missing type itself
        }
        _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TypeNotSerializable, location,
            context, type.ToDisplayString(), FailurePath(failure), FailureAdvice(failure)));
        return false;
    }

    /// <summary>Adds a type marked <c>[RpcMessage]</c> (an open generic definition emits its formatter only).</summary>
    public void AddMessage(INamedTypeSymbol type, Location? location)
    {
        if (type.IsUnboundGenericType || type.TypeParameters.Length > 0 && SymbolEqualityComparer.Default.Equals(type, type.OriginalDefinition))
        {
            // The definition itself: emit the formatter; closed uses register it where they are seen.
            string? failure = IsUnion(type) ? BuildUnion(type, register: false) : BuildObject(type, register: false);
            if (failure is not null)
            {
                _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TypeNotSerializable, location,
                    $"[RpcMessage] type '{type.ToDisplayString()}'", type.ToDisplayString(), FailurePath(failure), FailureAdvice(failure)));
            }
            return;
        }
        AddRoot(type, location, $"[RpcMessage] type '{type.ToDisplayString()}'");
    }

    private const string UnresolvedType = "the type could not be resolved";

    // A failure is "path|reason"; the path names the member chain from the root.
    private static string Failure(string path, string reason) => path + "|" + reason;

    private static string FailurePath(string failure)
    {
        string path = failure.Substring(0, failure.IndexOf('|'));
        return path.Length == 0 ? string.Empty : $" (at {path})";
    }

    private static string FailureAdvice(string failure) => failure.Substring(failure.IndexOf('|') + 1);

    private string? Visit(ITypeSymbol type, string path)
    {
        string key = type.ToPlainName();
        if (_visited.TryGetValue(key, out string? known))
        {
            return known is null ? null : Failure(path, FailureAdvice(known));
        }
        _visited[key] = null; // optimistic while in progress: recursive types terminate here
        string? failure = Classify(type, path);
        _visited[key] = failure;
        return failure;
    }

    private string? Classify(ITypeSymbol type, string path)
    {
        switch (type)
        {
            case { SpecialType: SpecialType.System_String }:
                return null;
            case ITypeParameterSymbol:
                return null; // resolved when a closed instantiation is walked
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return Failure(path, "pointers cannot cross the wire");
            case IDynamicTypeSymbol or { SpecialType: SpecialType.System_Object }:
                return Failure(path, "'object' and 'dynamic' carry no type information on the wire; use a concrete type or an [RpcUnion] interface");
            case IArrayTypeSymbol array:
                return ClassifyArray(array, path);
            case INamedTypeSymbol named:
                return ClassifyNamed(named, path);
            default:
                return Failure(path, "this kind of type is not supported");
        }
    }

    private string? ClassifyArray(IArrayTypeSymbol array, string path)
    {
        if (array.Rank > 4)
        {
            return Failure(path, "arrays of more than four dimensions are not supported");
        }
        string? failure = Visit(array.ElementType, path + "[]");
        if (failure is not null)
        {
            return failure;
        }
        string element = array.ElementType.ToPlainName();
        string formatter = array.Rank switch
        {
            1 => "ArrayFormatter",
            2 => "TwoDimensionalArrayFormatter",
            3 => "ThreeDimensionalArrayFormatter",
            _ => "FourDimensionalArrayFormatter",
        };
        Register(array, $"new {WellKnownNames.FormattersNamespace}{formatter}<{element}>()");
        return null;
    }

    private string? ClassifyNamed(INamedTypeSymbol type, string path)
    {
        if (type.TypeKind == TypeKind.Error)
        {
            return Failure(path, UnresolvedType);
        }
        if (type.TypeKind == TypeKind.Delegate)
        {
            return Failure(path, "delegates cannot cross the wire");
        }
        if (type.IsUnmanagedType && type.TypeKind != TypeKind.Interface)
        {
            // Primitives, enums, unmanaged structs, Nullable<unmanaged>, unmanaged tuples: raw memory copies, no formatter.
            return null;
        }
        if (type.IsGenericType && BuiltInFormatters.CreationFor(type) is { } builtIn)
        {
            foreach (ITypeSymbol argument in type.TypeArguments)
            {
                string? failure = Visit(argument, path + "<" + argument.ToDisplayString() + ">");
                if (failure is not null)
                {
                    return failure;
                }
            }
            Register(type, builtIn);
            return null;
        }
        string ns = SymbolNames.NamespaceOf(type);
        if ((ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal) || ns.StartsWith("Microsoft.", StringComparison.Ordinal))
            && !HasAttribute(type, WellKnownNames.RpcMessageAttribute))
        {
            return Failure(path, $"Rpc has no formatter for the framework type '{type.ToDisplayString()}'; use a supported type (primitives, strings, arrays, List, Dictionary, HashSet, tuples, ...) or wrap it in your own type");
        }
        if (IsUnion(type))
        {
            return BuildUnion(type, register: true, path);
        }
        if (type.TypeKind == TypeKind.Interface || type.IsAbstract)
        {
            return Failure(path, $"'{type.ToDisplayString()}' is {(type.TypeKind == TypeKind.Interface ? "an interface" : "abstract")}; list its concrete types with [RpcUnion(tag, typeof(T))] to make it a union");
        }
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct))
        {
            return Failure(path, "this kind of type is not supported");
        }
        return BuildObject(type, register: true, path);
    }

    private void Register(ITypeSymbol type, string creation)
    {
        if (ContainsTypeParameter(type))
        {
            // An open type (a generic definition's List<T>): each closed use registers its own instantiation.
            return;
        }
        string name = type.ToPlainName();
        if (!_registrations.ContainsKey(name))
        {
            _registrations.Add(name, new RegistrationSpec(name, creation));
        }
    }

    private static bool ContainsTypeParameter(ITypeSymbol type) => type switch
    {
        ITypeParameterSymbol => true,
        IArrayTypeSymbol array => ContainsTypeParameter(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.Any(ContainsTypeParameter)
            || named.ContainingType is { } container && ContainsTypeParameter(container),
        _ => false,
    };

    // ---- user types ----

    private static bool IsUnion(INamedTypeSymbol type) =>
        type.OriginalDefinition.GetAttributes().Any(a => a.AttributeClass.Is(WellKnownNames.RpcUnionAttribute));

    private static bool HasAttribute(ISymbol symbol, string metadataFullName) =>
        symbol.GetAttributes().Any(a => a.AttributeClass.Is(metadataFullName));

    private static AttributeData? GetAttribute(ISymbol symbol, string metadataFullName) =>
        symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass.Is(metadataFullName));

    private void ReportTypeProblem(INamedTypeSymbol type, DiagnosticDescriptor descriptor, Location? location, params string[] args)
    {
        if (!_reportedTypes.Add(descriptor.Id + ":" + type.MetadataFullName()))
        {
            return;
        }
        location ??= type.Locations.FirstOrDefault(l => l.IsInSource);
        if (location is { IsInSource: true })
        {
            _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, args));
        }
    }

    public static string EscapeIdentifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None
            ? "@" + name
            : name;
}
