using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Rpc.Generators.Diagnostics;
using Rpc.Generators.Model;

namespace Rpc.Generators.Parsing;

/// <summary>Objects: which members, in which slots, assigned how, through which constructor.</summary>
internal sealed partial class SerializationModelBuilder
{
    private string? BuildObject(INamedTypeSymbol type, bool register, string path = "")
    {
        INamedTypeSymbol definition = type.OriginalDefinition;
        AttributeData? message = GetAttribute(definition, WellKnownNames.RpcMessageAttribute);
        int generateType = 0;
        int? layout = null; // null: not given, so the layout kind's default order
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
        if (generateType == 3)
        {
            return Failure(path, $"'{definition.ToDisplayString()}' is marked GenerateType.Collection, which Rpc does not implement; use a List<T> or another built-in collection");
        }
        FormatterKind kind = generateType switch
        {
            1 => FormatterKind.VersionTolerant,
            2 => FormatterKind.CircularReference,
            _ => FormatterKind.Object,
        };
        // As MemoryPack: VersionTolerant and CircularReference default to an explicit order, Object to declaration
        // order; a SerializeLayout given with either overrides it (VersionTolerant + Sequential numbers slots in
        // declaration order).
        bool explicitOrder = layout is { } given ? given == 1 : kind != FormatterKind.Object;

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

        foreach (ISymbol member in members)
        {
            if (UnsupportedCustomFormatter(member) is { } formatter)
            {
                return Failure(path, $"member '{member.Name}' of '{definition.ToDisplayString()}' uses MemoryPack's [{formatter}], whose bytes Rpc does not implement");
            }
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
            else if (!nested && member is IPropertySymbol { SetMethod: not null } || !nested && member is IFieldSymbol { IsReadOnly: false })
            {
                // Writable, but not from outside the type: the value would be written and silently dropped on reading.
                ReportTypeProblem(definition, DiagnosticDescriptors.IncludeNeedsPartial, member.Locations.FirstOrDefault(), definition.ToDisplayString(), member.Name + " (its setter)");
                return Failure(path, $"'{definition.ToDisplayString()}' must be partial with [RpcMessage] to set member '{member.Name}'");
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
                IsUnmanaged: memberType.IsUnmanagedType && memberType is not ITypeParameterSymbol,
                MayHavePadding: MayHavePadding(memberType)));
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
            UnionCases: EquatableArray<UnionCaseSpec>.Empty,
            HidesBaseFormatter: nested && HasNestedFormatterInBase(definition));
        _formatters[spec.Key] = spec;
        return null;
    }

    /// <summary>
    /// True for a raw struct whose memory may hold padding (<c>Nullable&lt;T&gt;</c>, <c>DateTimeOffset</c>, tuples,
    /// user structs): its writes zero the padding so equal values give equal bytes. Primitives, enums and the
    /// framework's packed structs have none.
    /// </summary>
    private static bool MayHavePadding(ITypeSymbol type)
    {
        if (!type.IsUnmanagedType || type is ITypeParameterSymbol || type.TypeKind == TypeKind.Enum)
        {
            return false;
        }
        if (type.SpecialType is not (SpecialType.None or SpecialType.System_Nullable_T))
        {
            return false; // bool, char, the integers, float, double, decimal, DateTime, IntPtr...
        }
        string name = type is INamedTypeSymbol named ? named.OriginalDefinition.MetadataFullName() : string.Empty;
        return name is not ("System.Guid" or "System.TimeSpan" or "System.Half" or "System.Int128" or "System.UInt128"
            or "System.DateOnly" or "System.TimeOnly");
    }

    /// <summary>
    /// The name of a MemoryPack custom formatter attribute on <paramref name="member"/> that changes the bytes in a way
    /// Rpc does not implement (Brotli, bit packing, memory pools...), or null. The string ones that keep the bytes
    /// (<c>Utf8StringFormatter</c>, <c>Utf16StringFormatter</c>, <c>InternStringFormatter</c>, the ordinal-ignore-case
    /// dictionary) are fine.
    /// </summary>
    private static string? UnsupportedCustomFormatter(ISymbol member)
    {
        foreach (AttributeData attribute in member.GetAttributes())
        {
            INamedTypeSymbol? attributeClass = attribute.AttributeClass;
            if (attributeClass is null || attributeClass.ContainingNamespace?.ToDisplayString() != "MemoryPack")
            {
                continue;
            }
            string name = attributeClass.OriginalDefinition.MetadataFullName();
            if (name is "MemoryPack.Utf8StringFormatterAttribute" or "MemoryPack.Utf16StringFormatterAttribute"
                or "MemoryPack.InternStringFormatterAttribute" or "MemoryPack.OrdinalIgnoreCaseStringDictionaryFormatter`1")
            {
                continue;
            }
            for (INamedTypeSymbol? current = attributeClass.BaseType; current is not null; current = current.BaseType)
            {
                if (current.OriginalDefinition.MetadataFullName() is "MemoryPack.MemoryPackCustomFormatterAttribute`1" or "MemoryPack.MemoryPackCustomFormatterAttribute`2")
                {
                    return attributeClass.Name.EndsWith("Attribute", StringComparison.Ordinal)
                        ? attributeClass.Name.Substring(0, attributeClass.Name.Length - "Attribute".Length)
                        : attributeClass.Name;
                }
            }
        }
        return null;
    }

    /// <summary>True when a base class is a partial [RpcMessage] object type, so it has a nested formatter too.</summary>
    private static bool HasNestedFormatterInBase(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (HasAttribute(current.OriginalDefinition, WellKnownNames.RpcMessageAttribute) && !IsUnion(current) && IsPartialInSource(current.OriginalDefinition))
            {
                return true;
            }
        }
        return false;
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
}
