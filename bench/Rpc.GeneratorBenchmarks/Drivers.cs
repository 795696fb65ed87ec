using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Rpc.Generators;

namespace Rpc.GeneratorBenchmarks;

internal static class Drivers
{
    public static GeneratorDriver Rpc() => Create(new RpcGenerator());

    public static GeneratorDriver DoNothing() => Create(new DoNothingGenerator());

    private static GeneratorDriver Create(IIncrementalGenerator generator) =>
        CSharpGeneratorDriver.Create(new[] { generator.AsSourceGenerator() }, parseOptions: GeneratedProject.ParseOptions);
}
