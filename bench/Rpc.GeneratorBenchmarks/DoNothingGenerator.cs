using Microsoft.CodeAnalysis;

namespace Rpc.GeneratorBenchmarks;

/// <summary>The floor: a generator that finds the same <c>[RpcService]</c> interfaces and produces nothing.</summary>

public sealed class DoNothingGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<string> names = context.SyntaxProvider
            .ForAttributeWithMetadataName("Rpc.RpcServiceAttribute", static (_, _) => true, static (c, _) => c.TargetSymbol.Name);
        context.RegisterSourceOutput(names, static (_, _) => { });
    }
}
