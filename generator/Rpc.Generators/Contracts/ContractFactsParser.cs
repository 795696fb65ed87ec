using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Rpc.Generators.Model;
using Rpc.Generators.Parsing;

namespace Rpc.Generators.Contracts;

/// <summary>
/// Walks the types an <c>[RpcService]</c> interface reaches (parameters, results, their members, type arguments and
/// union cases) and records the enums and value types among them, as plain values.
/// </summary>
internal static class ContractFactsParser
{
    /// <summary>Names without <c>global::</c> or type arguments: the keys the contract builder looks types up by.</summary>
    private static readonly SymbolDisplayFormat s_definitionName = SymbolDisplayFormat.FullyQualifiedFormat
        .WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted)
        .WithGenericsOptions(SymbolDisplayGenericsOptions.None);

    public static ContractTypeFactsSpec Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol service)
        {
            return ContractTypeFactsSpec.Empty;
        }
        var walker = new Walker(cancellationToken);
        foreach (INamedTypeSymbol declaring in new[] { service }.Concat(service.AllInterfaces))
        {
            foreach (IMethodSymbol method in declaring.GetMembers().OfType<IMethodSymbol>())
            {
                foreach (IParameterSymbol parameter in method.Parameters)
                {
                    walker.Visit(parameter.Type);
                }
                walker.Visit(method.ReturnType);
            }
        }
        return new ContractTypeFactsSpec(
            walker.Enums.OrderBy(e => e.TypeName, System.StringComparer.Ordinal).ToEquatableArray(),
            walker.ValueTypes.OrderBy(n => n, System.StringComparer.Ordinal).ToEquatableArray());
    }

    /// <summary>The key of a named type: <c>Demo.Box`1</c> for a generic one, else the plain full name.</summary>
    public static string DefinitionKey(INamedTypeSymbol type)
    {
        string name = type.OriginalDefinition.ToDisplayString(s_definitionName);
        return type.Arity == 0 ? name : name + "`" + type.Arity;
    }

    private sealed class Walker
    {
        private readonly HashSet<ITypeSymbol> _visited = new(SymbolEqualityComparer.Default);
        private readonly CancellationToken _cancellationToken;

        public Walker(CancellationToken cancellationToken) => _cancellationToken = cancellationToken;

        public List<EnumContractSpec> Enums { get; } = new();

        public HashSet<string> ValueTypes { get; } = new(System.StringComparer.Ordinal);

        public void Visit(ITypeSymbol type)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (!_visited.Add(type))
            {
                return;
            }
            switch (type)
            {
                case IArrayTypeSymbol array:
                    Visit(array.ElementType);
                    return;
                case INamedTypeSymbol named:
                    VisitNamed(named);
                    return;
            }
        }

        private void VisitNamed(INamedTypeSymbol type)
        {
            if (type.TypeKind == TypeKind.Enum)
            {
                Enums.Add(DescribeEnum(type));
                return;
            }
            if (type.IsValueType && !type.IsTupleType)
            {
                ValueTypes.Add(DefinitionKey(type));
            }
            foreach (ITypeSymbol argument in type.TypeArguments)
            {
                Visit(argument);
            }
            if (type.IsTupleType)
            {
                return;
            }
            // Framework types are described by name; only user types have members worth walking.
            if (type.ContainingNamespace?.ToDisplayString() is { } ns && (ns == "System" || ns.StartsWith("System.", System.StringComparison.Ordinal)))
            {
                return;
            }
            foreach (ISymbol member in type.GetMembers())
            {
                switch (member)
                {
                    case IFieldSymbol { IsStatic: false, IsImplicitlyDeclared: false } field:
                        Visit(field.Type);
                        break;
                    case IPropertySymbol { IsStatic: false, IsIndexer: false } property:
                        Visit(property.Type);
                        break;
                }
            }
            foreach (AttributeData attribute in type.GetAttributes())
            {
                if (attribute.AttributeClass.Is(WellKnownNames.RpcUnionAttribute)
                    && attribute.ConstructorArguments.Length == 2
                    && attribute.ConstructorArguments[1].Value is ITypeSymbol caseType)
                {
                    Visit(caseType);
                }
            }
            if (type.BaseType is { SpecialType: SpecialType.None } baseType)
            {
                Visit(baseType);
            }
        }

        private static EnumContractSpec DescribeEnum(INamedTypeSymbol type)
        {
            var values = new List<EnumValueContractSpec>();
            foreach (IFieldSymbol field in type.GetMembers().OfType<IFieldSymbol>())
            {
                if (field.HasConstantValue)
                {
                    values.Add(new EnumValueContractSpec(field.Name, System.Convert.ToString(field.ConstantValue, System.Globalization.CultureInfo.InvariantCulture) ?? "0"));
                }
            }
            string underlying = type.EnumUnderlyingType?.ToDisplayString() ?? "int";
            return new EnumContractSpec(DefinitionKey(type), underlying, values.ToEquatableArray());
        }
    }
}
