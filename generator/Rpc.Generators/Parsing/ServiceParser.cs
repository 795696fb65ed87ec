using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Rpc.Generators.Diagnostics;
using Rpc.Generators.Model;

namespace Rpc.Generators.Parsing;

/// <summary>Turns an <c>[RpcService]</c> interface symbol into a <see cref="ServiceParseResult"/>.</summary>
internal static class ServiceParser
{
    public static ServiceParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        Parse(context.TargetSymbol, context.TargetNode, context.Attributes[0], cancellationToken);

    /// <summary>
    /// The entry point the generator and <see cref="Analyzers.RpcContractAnalyzer"/> share: <paramref name="targetNode"/>
    /// is the declaration that carries <paramref name="attribute"/> (diagnostics about the type point at its name).
    /// </summary>
    public static ServiceParseResult Parse(ISymbol targetSymbol, SyntaxNode? targetNode, AttributeData attribute, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var types = new SerializationModelBuilder(diagnostics);
        ServiceSpec? service = null;

        if (targetSymbol is not INamedTypeSymbol type)
        {
            return new ServiceParseResult(null, SerializationSpec.Empty, EquatableArray<DiagnosticInfo>.Empty);
        }
        Location? identifierLocation = (targetNode as BaseTypeDeclarationSyntax)?.Identifier.GetLocation() ?? type.Locations.FirstOrDefault();

        if (type.TypeKind != TypeKind.Interface)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ServiceMustBeInterface, identifierLocation, type.Name));
        }
        else if (type.IsGenericType)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericServiceNotSupported, identifierLocation, type.Name));
        }
        else if (type.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal
                 || type.ContainingType is not null && type.ContainingType.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TypeNotAccessible, identifierLocation, type.ToDisplayString()));
        }
        else
        {
            service = ParseService(type, attribute, types, diagnostics, cancellationToken);
        }

        return new ServiceParseResult(service, types.ToSpec(), diagnostics.ToEquatableArray());
    }

    private static ServiceSpec? ParseService(INamedTypeSymbol type, AttributeData attribute, SerializationModelBuilder types, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        string fullName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted));
        string serviceName = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string name && name.Length > 0
            ? name
            : fullName;

        var methods = new List<MethodSpec>();
        var methodSymbols = new List<IMethodSymbol>();
        var fieldNames = new HashSet<string>(StringComparer.Ordinal);
        bool valid = true;

        foreach (INamedTypeSymbol declaring in new[] { type }.Concat(type.AllInterfaces))
        {
            string declaringPlainName = declaring.ToPlainName();
            foreach (ISymbol member in declaring.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                Location? location = member.Locations.FirstOrDefault();
                if (member is IMethodSymbol { MethodKind: MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove or MethodKind.EventRaise })
                {
                    continue; // reported through the property or event itself
                }
                if (member is IPropertySymbol or IEventSymbol || member.IsStatic || member is IMethodSymbol { MethodKind: not MethodKind.Ordinary })
                {
                    string what = member switch
                    {
                        IPropertySymbol => "property",
                        IEventSymbol => "event",
                        _ when member.IsStatic => "static member",
                        _ => "member that is not an ordinary method",
                    };
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NonMethodMemberNotSupported, location, declaring.Name + "." + member.Name, what));
                    valid = false;
                    continue;
                }
                if (member is not IMethodSymbol method)
                {
                    continue; // nested types are not members of the contract
                }
                MethodSpec? spec = ParseMethod(method, declaring, declaringPlainName, serviceName, types, diagnostics, fieldNames);
                if (spec is null)
                {
                    valid = false;
                    continue;
                }
                methods.Add(spec);
                methodSymbols.Add(method);
            }
        }

        // Ids must be unique within the service.
        for (int i = 0; i < methods.Count; i++)
        {
            for (int j = i + 1; j < methods.Count; j++)
            {
                if (methods[i].Id == methods[j].Id)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MethodIdCollision, methodSymbols[j].Locations.FirstOrDefault(),
                        methods[i].Name, methods[j].Name, serviceName, methods[j].Id.ToString("X8")));
                    valid = false;
                }
            }
        }

        if (!valid)
        {
            return null;
        }

        string prefix = type.Name.Length > 1 && type.Name[0] == 'I' && char.IsUpper(type.Name[1]) ? type.Name.Substring(1) : type.Name;
        if (type.ContainingType is not null)
        {
            prefix = string.Join("_", ContainingNames(type).Concat(new[] { prefix }));
        }
        return new ServiceSpec(
            Namespace: SymbolNames.NamespaceOf(type),
            InterfaceName: type.Name,
            InterfaceFullName: type.ToPlainName(),
            ServiceName: serviceName,
            GeneratedNamePrefix: prefix,
            IsPublic: type.DeclaredAccessibility == Accessibility.Public,
            Methods: methods.ToEquatableArray());
    }

    private static IEnumerable<string> ContainingNames(INamedTypeSymbol type)
    {
        var names = new List<string>();
        for (INamedTypeSymbol? current = type.ContainingType; current is not null; current = current.ContainingType)
        {
            names.Insert(0, current.Name);
        }
        return names;
    }

    private static MethodSpec? ParseMethod(IMethodSymbol method, INamedTypeSymbol declaring, string declaringPlainName, string serviceName, SerializationModelBuilder types, List<DiagnosticInfo> diagnostics, HashSet<string> fieldNames)
    {
        Location? location = method.Locations.FirstOrDefault();
        string displayName = declaring.Name + "." + method.Name;
        bool valid = true;

        if (method.IsGenericMethod)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericMethodNotSupported, location, displayName));
            return null;
        }

        // Return type.
        ReturnShape shape;
        ITypeSymbol? resultType = null;
        Location? returnLocation = (method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() as MethodDeclarationSyntax)?.ReturnType.GetLocation() ?? location;
        if (method.ReturnType.TypeKind == TypeKind.Error)
        {
            return null; // the compiler reports the missing type itself
        }
        if (method.ReturnType is INamedTypeSymbol returnType)
        {
            string returnName = returnType.OriginalDefinition.MetadataFullName();
            switch (returnName)
            {
                case WellKnownNames.Task:
                    shape = ReturnShape.Task;
                    break;
                case WellKnownNames.ValueTask:
                    shape = ReturnShape.ValueTask;
                    break;
                case WellKnownNames.TaskOfT:
                    shape = ReturnShape.TaskOfT;
                    resultType = returnType.TypeArguments[0];
                    break;
                case WellKnownNames.ValueTaskOfT:
                    shape = ReturnShape.ValueTaskOfT;
                    resultType = returnType.TypeArguments[0];
                    break;
                case WellKnownNames.AsyncEnumerable:
                    shape = ReturnShape.AsyncEnumerable;
                    resultType = returnType.TypeArguments[0];
                    break;
                default:
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedReturnType, returnLocation, displayName, method.ReturnType.ToDisplayString()));
                    return null;
            }
        }
        else
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedReturnType, returnLocation, displayName, method.ReturnType.ToDisplayString()));
            return null;
        }

        // Read once: every service method is read again on every compilation change.
        System.Collections.Immutable.ImmutableArray<AttributeData> attributes = method.GetAttributes();
        bool oneWay = attributes.Any(a => a.AttributeClass.Is(WellKnownNames.RpcOneWayAttribute));
        if (oneWay && resultType is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OneWayMustReturnTask, returnLocation, displayName, method.ReturnType.ToDisplayString()));
            valid = false;
        }
        if (resultType is not null && IsAsyncEnumerable(resultType))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidStreamingSignature, returnLocation, displayName, "returns a task of IAsyncEnumerable<T>; return IAsyncEnumerable<T> itself"));
            return null;
        }
        string resultContext = shape == ReturnShape.AsyncEnumerable ? $"Stream item of '{displayName}'" : $"Result of '{displayName}'";
        if (resultType is not null && !types.AddRoot(resultType, returnLocation, resultContext))
        {
            valid = false;
        }

        // Parameters.
        var parameters = new List<ParameterSpec>();
        string? cancellationTokenName = null;
        ClientStreamSpec? clientStream = null;
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            IParameterSymbol parameter = method.Parameters[i];
            Location? parameterLocation = parameter.Locations.FirstOrDefault() ?? location;
            if (parameter.RefKind != RefKind.None)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ByRefParameterNotSupported, parameterLocation, parameter.Name, displayName, parameter.RefKind.ToString().ToLowerInvariant()));
                valid = false;
                continue;
            }
            if (parameter.Type is INamedTypeSymbol parameterType && parameterType.MetadataFullName() == WellKnownNames.CancellationToken)
            {
                if (i != method.Parameters.Length - 1)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CancellationTokenPosition, parameterLocation, displayName));
                    valid = false;
                }
                cancellationTokenName = SerializationModelBuilder.EscapeIdentifier(parameter.Name);
                continue;
            }
            if (IsAsyncEnumerable(parameter.Type))
            {
                if (clientStream is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidStreamingSignature, parameterLocation, displayName, "takes more than one IAsyncEnumerable<T> parameter"));
                    valid = false;
                    continue;
                }
                ITypeSymbol itemType = ((INamedTypeSymbol)parameter.Type).TypeArguments[0];
                if (!types.AddRoot(itemType, parameterLocation, $"Stream item of parameter '{parameter.Name}' of '{displayName}'"))
                {
                    valid = false;
                    continue;
                }
                clientStream = new ClientStreamSpec(
                    SerializationModelBuilder.EscapeIdentifier(parameter.Name),
                    parameter.Type.ToAnnotatedName(),
                    itemType.ToAnnotatedName(),
                    i);
                continue;
            }
            if (!types.AddRoot(parameter.Type, parameterLocation, $"Parameter '{parameter.Name}' of '{displayName}'"))
            {
                valid = false;
                continue;
            }
            parameters.Add(new ParameterSpec(
                SerializationModelBuilder.EscapeIdentifier(parameter.Name),
                parameter.Type.ToAnnotatedName(),
                SerializationModelBuilder.EncodingOfParameter(parameter))
            {
                IsHashKey = parameter.GetAttributes().Any(a => a.AttributeClass.Is(WellKnownNames.RpcHashKeyAttribute)),
                IsString = parameter.Type.SpecialType == SpecialType.System_String,
            });
        }
        if (oneWay && (clientStream is not null || shape == ReturnShape.AsyncEnumerable))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidStreamingSignature, location, displayName, "is [RpcOneWay] but streams"));
            valid = false;
        }
        if (!valid)
        {
            return null;
        }

        MethodKindSpec kind = (clientStream is not null, shape == ReturnShape.AsyncEnumerable) switch
        {
            (true, true) => MethodKindSpec.DuplexStreaming,
            (true, false) => MethodKindSpec.ClientStreaming,
            (false, true) => MethodKindSpec.ServerStreaming,
            _ => oneWay ? MethodKindSpec.OneWay : MethodKindSpec.Unary,
        };

        AttributeData? pinned = attributes.FirstOrDefault(a => a.AttributeClass.Is(WellKnownNames.RpcMethodAttribute));
        uint id = pinned is { ConstructorArguments.Length: 1 } && pinned.ConstructorArguments[0].Value is uint pinnedId
            ? pinnedId
            : MethodIds.Compute(serviceName, method.Name, string.Join(",", method.Parameters
                .Where(p => !(p.Type is INamedTypeSymbol t && t.MetadataFullName() == WellKnownNames.CancellationToken))
                .Select(p => p.Type.ToPlainName())));

        string fieldName = method.Name;
        for (int n = 2; !fieldNames.Add(fieldName); n++)
        {
            fieldName = method.Name + "_" + n;
        }

        return new MethodSpec(
            Name: method.Name,
            DescriptorFieldName: fieldName,
            DeclaringInterfaceFullName: declaringPlainName,
            Id: id,
            Kind: kind,
            ReturnShape: shape,
            ResultTypeName: resultType?.ToAnnotatedName(),
            ReturnTypeName: method.ReturnType.ToAnnotatedName(),
            Parameters: parameters.ToEquatableArray(),
            CancellationTokenParameterName: cancellationTokenName,
            ClientStream: clientStream,
            IsIdempotent: attributes.Any(a => a.AttributeClass.Is(WellKnownNames.RpcIdempotentAttribute)));
    }

    private static bool IsAsyncEnumerable(ITypeSymbol type) =>
        type is INamedTypeSymbol named && named.OriginalDefinition.MetadataFullName() == WellKnownNames.AsyncEnumerable;
}
