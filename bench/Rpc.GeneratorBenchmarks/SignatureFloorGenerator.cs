using Microsoft.CodeAnalysis;

namespace Rpc.GeneratorBenchmarks;

/// <summary>
/// A second floor: finds the same interfaces and touches what any contract reader must (each method's return type,
/// parameter types and attributes, which the compiler binds afresh in every new compilation), producing nothing.
/// </summary>
public sealed class SignatureFloorGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<int> counts = context.SyntaxProvider
            .ForAttributeWithMetadataName("Rpc.RpcServiceAttribute", static (_, _) => true, static (c, _) =>
            {
                int count = 0;
                foreach (ISymbol member in ((INamedTypeSymbol)c.TargetSymbol).GetMembers())
                {
                    if (member is IMethodSymbol method)
                    {
                        count += method.ReturnType.Name.Length + method.GetAttributes().Length;
                        foreach (IParameterSymbol parameter in method.Parameters)
                        {
                            count += parameter.Type.Name.Length + parameter.GetAttributes().Length;
                        }
                    }
                }
                return count;
            });
        context.RegisterSourceOutput(counts, static (_, _) => { });
    }
}
