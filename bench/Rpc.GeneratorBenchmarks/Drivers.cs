using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Rpc.Generators;

namespace Rpc.GeneratorBenchmarks;

internal static class Drivers
{
    public static GeneratorDriver Rpc(bool trackSteps = false) => Create(new RpcGenerator(), trackSteps);

    public static GeneratorDriver DoNothing() => Create(new DoNothingGenerator());

    public static GeneratorDriver SignatureFloor() => Create(new SignatureFloorGenerator());

    private static GeneratorDriver Create(IIncrementalGenerator generator, bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(new[] { generator.AsSourceGenerator() }, parseOptions: GeneratedProject.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));
}
