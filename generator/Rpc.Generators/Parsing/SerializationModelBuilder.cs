using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Rpc.Generators.Diagnostics;
using Rpc.Generators.Model;

namespace Rpc.Generators.Parsing;

/// <summary>
/// Walks every type reachable from a root (a parameter, a result, a message, a serializer call) and decides how
/// each is written: raw (unmanaged), a built-in formatter registered for the closed type, or a generated formatter.
/// Produces value models only; the symbols it sees never leave it.
/// </summary>
internal sealed class SerializationModelBuilder
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
        if (type.IsGenericType && BuiltInFormatter(type) is { } builtIn)
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

    private static string? BuiltInFormatter(INamedTypeSymbol type)
    {
        string name = type.OriginalDefinition.MetadataFullName();
        string args = string.Join(", ", type.TypeArguments.Select(a => a.ToPlainName()));
        string self = type.ToPlainName();
        string f = WellKnownNames.FormattersNamespace;
        switch (name)
        {
            case "System.Nullable`1":
                return $"new {f}NullableFormatter<{args}>()";
            case "System.Collections.Generic.List`1":
                return $"new {f}ListFormatter<{args}>()";
            case "System.Collections.Generic.Dictionary`2":
                return $"new {f}DictionaryFormatter<{args}>()";
            case "System.Collections.Generic.HashSet`1":
            case "System.Collections.Generic.SortedSet`1":
            case "System.Collections.Generic.LinkedList`1":
                return $"new {f}AddableCollectionFormatter<{self}, {args}>()";
            case "System.Collections.Generic.SortedDictionary`2":
            case "System.Collections.Generic.SortedList`2":
            case "System.Collections.Concurrent.ConcurrentDictionary`2":
                return $"new {f}DictionaryFormatter<{self}, {args}>()";
            case "System.Collections.Generic.IEnumerable`1":
            case "System.Collections.Generic.ICollection`1":
            case "System.Collections.Generic.IReadOnlyCollection`1":
            case "System.Collections.Generic.IList`1":
            case "System.Collections.Generic.IReadOnlyList`1":
                return $"new {f}ListInterfaceFormatter<{self}, {args}>()";
            case "System.Collections.Generic.ISet`1":
            case "System.Collections.Generic.IReadOnlySet`1":
                return $"new {f}SetInterfaceFormatter<{self}, {args}>()";
            case "System.Collections.Generic.IDictionary`2":
            case "System.Collections.Generic.IReadOnlyDictionary`2":
                return $"new {f}DictionaryInterfaceFormatter<{self}, {args}>()";
            case "System.Collections.Generic.KeyValuePair`2":
                return $"new {f}KeyValuePairFormatter<{args}>()";
            case "System.Memory`1":
                return $"new {f}MemoryFormatter<{args}>()";
            case "System.ReadOnlyMemory`1":
                return $"new {f}ReadOnlyMemoryFormatter<{args}>()";
            case "System.ArraySegment`1":
                return $"new {f}ArraySegmentFormatter<{args}>()";
        }
        if (name.StartsWith("System.ValueTuple`", StringComparison.Ordinal) && type.TypeArguments.Length <= 7)
        {
            return $"new {f}ValueTupleFormatter<{args}>()";
        }
        if (name.StartsWith("System.Tuple`", StringComparison.Ordinal) && type.TypeArguments.Length <= 7)
        {
            return $"new {f}TupleFormatter<{args}>()";
        }
        return null;
    }

    private void Register(ITypeSymbol type, string creation)
    {
        string name = type.ToPlainName();
        if (!_registrations.ContainsKey(name))
        {
            _registrations.Add(name, new RegistrationSpec(name, creation));
        }
    }

    // ---- user types ----

    private static bool IsUnion(INamedTypeSymbol type) =>
        type.OriginalDefinition.GetAttributes().Any(a => a.AttributeClass.Is(WellKnownNames.RpcUnionAttribute));

    private static bool HasAttribute(ISymbol symbol, string metadataFullName) =>
        symbol.GetAttributes().Any(a => a.AttributeClass.Is(metadataFullName));

    private static AttributeData? GetAttribute(ISymbol symbol, string metadataFullName) =>
        symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass.Is(metadataFullName));

    private string? BuildUnion(INamedTypeSymbol type, bool register, string path = "")
    {
        INamedTypeSymbol definition = type.OriginalDefinition;
        if (definition.TypeParameters.Length > 0)
        {
            return Failure(path, "generic unions are not supported");
        }
        string? access = CheckAccessible(definition, nested: false);
        if (access is not null)
        {
            return Failure(path, access);
        }
        var cases = new List<UnionCaseSpec>();
        var tags = new HashSet<ushort>();
        var caseTypes = new List<INamedTypeSymbol>();
        foreach (AttributeData attribute in definition.GetAttributes().Where(a => a.AttributeClass.Is(WellKnownNames.RpcUnionAttribute)))
        {
            if (attribute.ConstructorArguments.Length != 2 || attribute.ConstructorArguments[1].Value is not INamedTypeSymbol caseType)
            {
                continue;
            }
            ushort tag = Convert.ToUInt16(attribute.ConstructorArguments[0].Value);
            Location? location = attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation();
            if (!tags.Add(tag))
            {
                ReportTypeProblem(definition, DiagnosticDescriptors.InvalidUnion, location, definition.ToDisplayString(), $"tag {tag} is used twice");
                return Failure(path, $"union '{definition.ToDisplayString()}' is invalid");
            }
            if (!DerivesFrom(caseType, definition))
            {
                ReportTypeProblem(definition, DiagnosticDescriptors.InvalidUnion, location, definition.ToDisplayString(), $"'{caseType.ToDisplayString()}' does not derive from or implement it");
                return Failure(path, $"union '{definition.ToDisplayString()}' is invalid");
            }
            if (caseType.IsAbstract || caseType.TypeKind == TypeKind.Interface)
            {
                ReportTypeProblem(definition, DiagnosticDescriptors.InvalidUnion, location, definition.ToDisplayString(), $"'{caseType.ToDisplayString()}' is abstract; union cases must be concrete types");
                return Failure(path, $"union '{definition.ToDisplayString()}' is invalid");
            }
            cases.Add(new UnionCaseSpec(tag, caseType.ToPlainName(), InheritanceDepth(caseType)));
            caseTypes.Add(caseType);
        }
        if (cases.Count == 0)
        {
            return Failure(path, "the union lists no cases");
        }

        string name = FormatterNameFor(definition);
        var spec = new FormatterSpec(
            Key: definition.MetadataFullName(),
            Namespace: SymbolNames.NamespaceOf(definition),
            TypeFullName: definition.ToPlainName(),
            FormatterClassName: name,
            IsNested: false,
            ContainingTypes: EquatableArray<ContainingTypeSpec>.Empty,
            TypeParameterList: string.Empty,
            IsValueType: false,
            Kind: FormatterKind.Union,
            Members: EquatableArray<MemberSpec>.Empty,
            SlotCount: 0,
            UsesConstructor: false,
            ConstructorArguments: EquatableArray<string>.Empty,
            UnionCases: cases.OrderByDescending(c => c.InheritanceDepth).ThenBy(c => c.Tag).ToEquatableArray());
        _formatters[spec.Key] = spec;
        if (register)
        {
            Register(type, $"new {spec.FormatterTypeName(string.Empty)}()");
        }
        foreach (INamedTypeSymbol caseType in caseTypes)
        {
            string? failure = Visit(caseType, path.Length == 0 ? caseType.Name : path + "(" + caseType.Name + ")");
            if (failure is not null)
            {
                return failure;
            }
        }
        return null;
    }

    private static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol baseType)
    {
        if (baseType.TypeKind == TypeKind.Interface)
        {
            return type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, baseType));
        }
        for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
            {
                return true;
            }
        }
        return false;
    }

    private static int InheritanceDepth(INamedTypeSymbol type)
    {
        int depth = 0;
        for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
        {
            depth++;
        }
        return depth;
    }

    private string? BuildObject(INamedTypeSymbol type, bool register, string path = "")
    {
        INamedTypeSymbol definition = type.OriginalDefinition;
        AttributeData? message = GetAttribute(definition, WellKnownNames.RpcMessageAttribute);
        int generateType = 0;
        int layout = 0;
        if (message is not null)
        {
            foreach (TypedConstant argument in message.ConstructorArguments)
            {
                if (argument.Type?.Name == "GenerateType")
                {
                    generateType = Convert.ToInt32(argument.Value);
                }
                else if (argument.Type?.Name == "SerializeLayout")
                {
                    layout = Convert.ToInt32(argument.Value);
                }
            }
        }
        if (generateType == 4)
        {
            return Failure(path, $"'{definition.ToDisplayString()}' is marked GenerateType.NoGenerate");
        }
        FormatterKind kind = generateType switch
        {
            1 => FormatterKind.VersionTolerant,
            2 => FormatterKind.CircularReference,
            _ => FormatterKind.Object,
        };
        bool explicitOrder = kind != FormatterKind.Object || layout == 1;

        if (!_formatters.ContainsKey(definition.MetadataFullName()))
        {
            string? failure = BuildObjectSpec(definition, message is not null, kind, explicitOrder, path);
            if (failure is not null)
            {
                return failure;
            }
        }
        if (!_formatters.TryGetValue(definition.MetadataFullName(), out FormatterSpec? spec))
        {
            return Failure(path, $"'{definition.ToDisplayString()}' cannot be serialized");
        }

        if (register)
        {
            string typeArguments = type.TypeArguments.Length == 0
                ? string.Empty
                : "<" + string.Join(", ", type.TypeArguments.Select(a => a.ToPlainName())) + ">";
            bool open = type.TypeArguments.Any(a => a is ITypeParameterSymbol);
            if (!open)
            {
                Register(type, $"new {spec.FormatterTypeName(typeArguments)}()");
            }
        }

        // Walk the members of this (closed) type: their types need formatters too.
        foreach (ISymbol member in SerializedMembers(type, out _))
        {
            ITypeSymbol memberType = member is IPropertySymbol p ? p.Type : ((IFieldSymbol)member).Type;
            string? failure = Visit(memberType, (path.Length == 0 ? type.Name : path) + "." + member.Name);
            if (failure is not null)
            {
                return failure;
            }
        }
        return null;
    }

    private string? BuildObjectSpec(INamedTypeSymbol definition, bool isMessage, FormatterKind kind, bool explicitOrder, string path)
    {
        bool nested = isMessage && IsPartialInSource(definition);
        string? access = CheckAccessible(definition, nested);
        if (access is not null)
        {
            ReportTypeProblem(definition, DiagnosticDescriptors.TypeNotAccessible, null, definition.ToDisplayString());
            return Failure(path, access);
        }

        List<ISymbol> members = SerializedMembers(definition, out ISymbol? inaccessible);
        if (inaccessible is not null && !nested)
        {
            ReportTypeProblem(definition, DiagnosticDescriptors.IncludeNeedsPartial, inaccessible.Locations.FirstOrDefault(), definition.ToDisplayString(), inaccessible.Name);
            return Failure(path, $"'{definition.ToDisplayString()}' must be partial to serialize non-public member '{inaccessible.Name}'");
        }
        if (members.Count > 249)
        {
            ReportTypeProblem(definition, DiagnosticDescriptors.TooManyMembers, null, definition.ToDisplayString(), members.Count.ToString());
            return Failure(path, "it has more than 249 members");
        }

        // Slots: declaration order, or [RpcOrder] for explicit layouts.
        var slots = new Dictionary<ISymbol, int>(SymbolEqualityComparer.Default);
        if (explicitOrder)
        {
            var used = new HashSet<int>();
            foreach (ISymbol member in members)
            {
                AttributeData? order = GetAttribute(member, WellKnownNames.RpcOrderAttribute);
                if (order is null || order.ConstructorArguments.Length != 1)
                {
                    ReportTypeProblem(definition, DiagnosticDescriptors.OrderRequired, member.Locations.FirstOrDefault(), definition.ToDisplayString(), member.Name, "has no [RpcOrder]");
                    return Failure(path, $"member '{member.Name}' needs [RpcOrder]");
                }
                int value = Convert.ToInt32(order.ConstructorArguments[0].Value);
                if (value < 0 || value > 248 || !used.Add(value))
                {
                    ReportTypeProblem(definition, DiagnosticDescriptors.OrderRequired, member.Locations.FirstOrDefault(), definition.ToDisplayString(), member.Name, $"has order {value}, which is negative, above 248 or used twice");
                    return Failure(path, $"member '{member.Name}' has an invalid order");
                }
                slots[member] = value;
            }
            members = members.OrderBy(m => slots[m]).ToList();
            if (kind == FormatterKind.Object)
            {
                for (int i = 0; i < members.Count; i++)
                {
                    slots[members[i]] = i;
                }
            }
        }
        else
        {
            for (int i = 0; i < members.Count; i++)
            {
                slots[members[i]] = i;
            }
        }
        int slotCount = members.Count == 0 ? 0 : members.Max(m => slots[m]) + 1;

        // Constructor.
        string? ctorError = SelectConstructor(definition, nested, members, out IMethodSymbol? constructor, out List<ISymbol> constructorMembers);
        if (ctorError is not null)
        {
            ReportTypeProblem(definition, DiagnosticDescriptors.NoUsableConstructor, null, definition.ToDisplayString(), ctorError);
            return Failure(path, ctorError);
        }

        var memberSpecs = new List<MemberSpec>();
        foreach (ISymbol member in members)
        {
            ITypeSymbol memberType = member is IPropertySymbol p ? p.Type : ((IFieldSymbol)member).Type;
            MemberAssignment assignment;
            if (constructorMembers.Contains(member, SymbolEqualityComparer.Default))
            {
                assignment = MemberAssignment.Constructor;
            }
            else if (CanAssign(member, definition, nested, out bool initOnly))
            {
                assignment = HasAttribute(member, WellKnownNames.SuppressDefaultInitializationAttribute) && !initOnly
                    ? MemberAssignment.AfterConstruction
                    : MemberAssignment.Initializer;
                if (kind == FormatterKind.CircularReference)
                {
                    if (initOnly)
                    {
                        ReportTypeProblem(definition, DiagnosticDescriptors.CircularNeedsSettableMembers, member.Locations.FirstOrDefault(), definition.ToDisplayString(), $"member '{member.Name}' is init-only");
                        return Failure(path, $"member '{member.Name}' is init-only");
                    }
                    assignment = MemberAssignment.AfterConstruction;
                }
            }
            else
            {
                assignment = MemberAssignment.None;
            }
            memberSpecs.Add(new MemberSpec(
                Name: EscapeIdentifier(member.Name),
                TypeName: memberType.ToAnnotatedName(),
                Slot: slots[member],
                Encoding: EncodingOf(member),
                Assignment: assignment,
                IsUnmanaged: memberType.IsUnmanagedType && memberType is not ITypeParameterSymbol));
        }
        if (kind == FormatterKind.CircularReference && (definition.IsValueType || constructor is { Parameters.Length: > 0 }))
        {
            ReportTypeProblem(definition, DiagnosticDescriptors.CircularNeedsSettableMembers, null, definition.ToDisplayString(), definition.IsValueType ? "it is a struct" : "its constructor takes parameters");
            return Failure(path, "circular-reference types need a parameterless constructor");
        }

        var containing = new List<ContainingTypeSpec>();
        if (nested)
        {
            for (INamedTypeSymbol? current = definition.ContainingType; current is not null; current = current.ContainingType)
            {
                containing.Insert(0, new ContainingTypeSpec(KeywordOf(current), NameWithTypeParameters(current)));
            }
            containing.Add(new ContainingTypeSpec(KeywordOf(definition), NameWithTypeParameters(definition)));
        }

        var spec = new FormatterSpec(
            Key: definition.MetadataFullName(),
            Namespace: SymbolNames.NamespaceOf(definition),
            TypeFullName: definition.ToPlainName(),
            FormatterClassName: nested ? "RpcMessageFormatter" : FormatterNameFor(definition),
            IsNested: nested,
            ContainingTypes: containing.ToEquatableArray(),
            TypeParameterList: nested || definition.TypeParameters.Length == 0
                ? string.Empty
                : "<" + string.Join(", ", definition.TypeParameters.Select(t => t.Name)) + ">" + ConstraintClauses(definition),
            IsValueType: definition.IsValueType,
            Kind: kind,
            Members: memberSpecs.ToEquatableArray(),
            SlotCount: slotCount,
            UsesConstructor: constructor is { Parameters.Length: > 0 },
            ConstructorArguments: constructorMembers.Select(m => EscapeIdentifier(m.Name)).ToEquatableArray(),
            UnionCases: EquatableArray<UnionCaseSpec>.Empty);
        _formatters[spec.Key] = spec;
        return null;
    }

    private static string ConstraintClauses(INamedTypeSymbol definition)
    {
        var clauses = new List<string>();
        foreach (ITypeParameterSymbol parameter in definition.TypeParameters)
        {
            var parts = new List<string>();
            if (parameter.HasReferenceTypeConstraint)
            {
                parts.Add("class");
            }
            if (parameter.HasUnmanagedTypeConstraint)
            {
                parts.Add("unmanaged");
            }
            else if (parameter.HasValueTypeConstraint)
            {
                parts.Add("struct");
            }
            if (parameter.HasNotNullConstraint)
            {
                parts.Add("notnull");
            }
            parts.AddRange(parameter.ConstraintTypes.Select(t => t.ToAnnotatedName()));
            if (parameter.HasConstructorConstraint && !parameter.HasValueTypeConstraint)
            {
                parts.Add("new()");
            }
            if (parts.Count > 0)
            {
                clauses.Add($" where {parameter.Name} : {string.Join(", ", parts)}");
            }
        }
        return string.Concat(clauses);
    }

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

    private static string FormatterNameFor(INamedTypeSymbol type)
    {
        var parts = new List<string>();
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            parts.Insert(0, current.Name);
        }
        return string.Join("_", parts) + "RpcFormatter";
    }

    private static string NameWithTypeParameters(INamedTypeSymbol type) =>
        type.TypeParameters.Length == 0 ? type.Name : type.Name + "<" + string.Join(", ", type.TypeParameters.Select(t => t.Name)) + ">";

    private static string KeywordOf(INamedTypeSymbol type)
    {
        string keyword = type.TypeKind switch
        {
            TypeKind.Struct => type.IsRecord ? "record struct" : "struct",
            TypeKind.Interface => "interface",
            _ => type.IsRecord ? "record" : "class",
        };
        return "partial " + keyword;
    }

    private static bool IsPartialInSource(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (current.DeclaringSyntaxReferences.Length == 0)
            {
                return false;
            }
            bool partial = current.DeclaringSyntaxReferences.Any(r =>
                r.GetSyntax() is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (!partial)
            {
                return false;
            }
        }
        return true;
    }

    private static string? CheckAccessible(INamedTypeSymbol type, bool nested)
    {
        if (nested)
        {
            return null;
        }
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (current.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
            {
                return $"'{type.ToDisplayString()}' is not accessible to generated code (make it internal or public, or partial with [RpcMessage])";
            }
        }
        return null;
    }

    /// <summary>Public instance fields and readable properties, base class first, plus non-public ones marked [RpcInclude].</summary>
    private static List<ISymbol> SerializedMembers(INamedTypeSymbol type, out ISymbol? inaccessible)
    {
        inaccessible = null;
        var chain = new List<INamedTypeSymbol>();
        for (INamedTypeSymbol? current = type; current is not null && current.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); current = current.BaseType)
        {
            chain.Insert(0, current);
        }
        var result = new List<ISymbol>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (INamedTypeSymbol declaring in chain)
        {
            foreach (ISymbol member in declaring.GetMembers())
            {
                if (member.IsStatic || member.IsImplicitlyDeclared || HasAttribute(member, WellKnownNames.RpcIgnoreAttribute))
                {
                    continue;
                }
                bool include = HasAttribute(member, WellKnownNames.RpcIncludeAttribute);
                bool isPublic = member.DeclaredAccessibility == Accessibility.Public;
                switch (member)
                {
                    case IPropertySymbol property when !property.IsIndexer && property.GetMethod is not null:
                        if (!include && (!isPublic || property.GetMethod.DeclaredAccessibility != Accessibility.Public))
                        {
                            continue;
                        }
                        break;
                    case IFieldSymbol field when !field.IsConst:
                        if (!include && !isPublic)
                        {
                            continue;
                        }
                        break;
                    default:
                        continue;
                }
                if (!names.Add(member.Name))
                {
                    continue; // an override or a hiding member: the first declaration keeps its place
                }
                if (include && !isPublic && inaccessible is null)
                {
                    inaccessible = member;
                }
                result.Add(member);
            }
        }
        return result;
    }

    private static bool CanAssign(ISymbol member, INamedTypeSymbol type, bool nested, out bool initOnly)
    {
        initOnly = false;
        switch (member)
        {
            case IPropertySymbol property:
                if (property.SetMethod is null)
                {
                    return false;
                }
                initOnly = property.SetMethod.IsInitOnly;
                return IsReachable(property.SetMethod, type, nested);
            case IFieldSymbol field:
                return !field.IsReadOnly && IsReachable(field, type, nested);
            default:
                return false;
        }
    }

    private static bool IsReachable(ISymbol symbol, INamedTypeSymbol type, bool nested)
    {
        Accessibility accessibility = symbol.DeclaredAccessibility;
        if (accessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal)
        {
            return true;
        }
        if (!nested)
        {
            return false;
        }
        // A nested formatter reaches its own type's private members and its bases' protected ones.
        return SymbolEqualityComparer.Default.Equals(symbol.ContainingType, type) || accessibility != Accessibility.Private;
    }

    private static string? SelectConstructor(INamedTypeSymbol type, bool nested, List<ISymbol> members, out IMethodSymbol? constructor, out List<ISymbol> constructorMembers)
    {
        constructor = null;
        constructorMembers = new List<ISymbol>();
        List<IMethodSymbol> candidates = type.InstanceConstructors
            .Where(c => !(c.IsImplicitlyDeclared && (type.IsValueType || IsCopyConstructor(c, type))))
            .Where(c => !IsCopyConstructor(c, type))
            .ToList();
        List<IMethodSymbol> marked = candidates.Where(c => HasAttribute(c, WellKnownNames.RpcConstructorAttribute)).ToList();
        if (marked.Count > 1)
        {
            return "more than one constructor is marked [RpcConstructor]";
        }
        if (marked.Count == 1)
        {
            constructor = marked[0];
        }
        else if (candidates.Count == 0)
        {
            if (!type.IsValueType)
            {
                return "it has no usable constructor";
            }
        }
        else if (candidates.Count == 1)
        {
            constructor = candidates[0];
        }
        else
        {
            constructor = candidates.FirstOrDefault(c => c.Parameters.Length == 0);
            if (constructor is null)
            {
                return "it has several constructors; mark the one to use with [RpcConstructor]";
            }
        }
        if (constructor is not null && !IsReachable(constructor, type, nested))
        {
            return $"its constructor is {constructor.DeclaredAccessibility.ToString().ToLowerInvariant()}; make it public or internal, or make the type partial and [RpcMessage]";
        }
        if (constructor is null)
        {
            return null;
        }
        foreach (IParameterSymbol parameter in constructor.Parameters)
        {
            ISymbol? match = members.FirstOrDefault(m => string.Equals(m.Name, parameter.Name, StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                return $"constructor parameter '{parameter.Name}' matches no serialized member";
            }
            ITypeSymbol memberType = match is IPropertySymbol p ? p.Type : ((IFieldSymbol)match).Type;
            if (!SymbolEqualityComparer.Default.Equals(memberType.WithNullableAnnotation(NullableAnnotation.None), parameter.Type.WithNullableAnnotation(NullableAnnotation.None)))
            {
                return $"constructor parameter '{parameter.Name}' is '{parameter.Type.ToDisplayString()}' but member '{match.Name}' is '{memberType.ToDisplayString()}'";
            }
            constructorMembers.Add(match);
        }
        return null;
    }

    private static bool IsCopyConstructor(IMethodSymbol constructor, INamedTypeSymbol type) =>
        type.IsRecord && constructor.Parameters.Length == 1 &&
        SymbolEqualityComparer.Default.Equals(constructor.Parameters[0].Type.OriginalDefinition, type.OriginalDefinition);

    private static StringEncodingSpec EncodingOf(ISymbol symbol)
    {
        if (HasAttribute(symbol, WellKnownNames.Utf16StringAttribute))
        {
            return StringEncodingSpec.Utf16;
        }
        if (HasAttribute(symbol, WellKnownNames.Utf8StringAttribute))
        {
            return StringEncodingSpec.Utf8;
        }
        return StringEncodingSpec.Default;
    }

    public static StringEncodingSpec EncodingOfParameter(IParameterSymbol parameter) => EncodingOf(parameter);

    public static string EscapeIdentifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None
            ? "@" + name
            : name;
}
