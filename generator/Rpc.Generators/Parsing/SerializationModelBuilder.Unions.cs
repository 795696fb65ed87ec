using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Rpc.Generators.Diagnostics;
using Rpc.Generators.Model;

namespace Rpc.Generators.Parsing;

/// <summary>Unions: an abstract class or interface whose [RpcUnion] cases are written after a tag.</summary>
internal sealed partial class SerializationModelBuilder
{
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
}
