using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Rpc.Generators.Tests.Infrastructure;

namespace Rpc.Generators.Tests.Generator;

/// <summary>An edit that does not touch a contract must not redo the generator's work, and the cache must hold no symbols.</summary>
public sealed class IncrementalityTests
{
    private const string Contract = """
        #nullable enable
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Rpc;
        using Rpc.Serialization;
        namespace Shop;
        public record Line(string Sku, int Quantity);
        [RpcMessage] public partial class Basket { public List<Line> Lines { get; set; } = new(); public Dictionary<string, int> Tags { get; set; } = new(); }
        [RpcService] public interface IShop { Task<Basket> GetBasketAsync(int id, CancellationToken cancellationToken = default); ValueTask AddAsync(Line line); }
        public static class Storage { public static byte[] Save(Basket basket) => RpcSerializer.Serialize(basket); }
        """;

    private const string Unrelated = """
        namespace Shop;
        public static class Clock { public static int Now() => 1; }
        """;

    private static readonly string[] TrackedSteps =
    [
        TrackingNames.Services, TrackingNames.Messages, TrackingNames.SerializerCalls, TrackingNames.Formatters, TrackingNames.Registrations,
        TrackingNames.ContractFacts, TrackingNames.Contracts,
    ];

    [Fact]
    public void Editing_an_unrelated_file_leaves_every_tracked_step_cached_or_unchanged()
    {
        CSharpCompilation compilation = TestCompilation.Create(Contract, Unrelated);
        var (driver, _, diagnostics) = TestCompilation.RunGenerator(compilation, trackSteps: true);
        Assert.Empty(diagnostics);

        SyntaxTree unrelated = compilation.SyntaxTrees.Single(t => t.ToString().Contains("class Clock"));
        SyntaxTree edited = unrelated.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(Unrelated.Replace("=> 1;", "=> 2; // edited")));
        CSharpCompilation next = compilation.ReplaceSyntaxTree(unrelated, edited);
        GeneratorRunResult result = driver.RunGenerators(next).GetRunResult().Results.Single();

        foreach (string step in TrackedSteps)
        {
            Assert.True(result.TrackedSteps.ContainsKey(step), $"step {step} was not tracked");
            foreach (IncrementalGeneratorRunStep run in result.TrackedSteps[step])
            {
                foreach ((object _, IncrementalStepRunReason reason) in run.Outputs)
                {
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {step} ran again ({reason})");
                }
            }
        }
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void Editing_an_unrelated_file_of_the_500_service_project_leaves_every_output_cached()
    {
        // The benchmark's project (bench/Rpc.GeneratorBenchmarks): 500 services x 10 methods over 20 records.
        var sources = new List<string> { Unrelated };
        var messages = new System.Text.StringBuilder("namespace Bench.Messages;\n");
        for (int m = 0; m < 20; m++)
        {
            messages.Append($"public sealed record Message{m}(int Id, string Name, long Stamp, double Score, System.Collections.Generic.List<string> Tags);\n");
        }
        sources.Add(messages.ToString());
        for (int s = 0; s < 500; s++)
        {
            var service = new System.Text.StringBuilder($"using System.Threading;\nusing System.Threading.Tasks;\nusing Rpc;\nusing Bench.Messages;\nnamespace Bench.Services;\n[RpcService] public interface IService{s}\n{{\n");
            for (int m = 0; m < 10; m++)
            {
                service.Append($"    Task<Message{(s + m + 1) % 20}> Call{m}Async(Message{(s + m) % 20} request, CancellationToken cancellationToken = default);\n");
            }
            sources.Add(service.Append("}\n").ToString());
        }
        CSharpCompilation compilation = TestCompilation.Create(sources.ToArray());
        var (driver, _, diagnostics) = TestCompilation.RunGenerator(compilation, trackSteps: true);
        Assert.Empty(diagnostics);
        // A file per service and per record, the formatter registrations and the assembly's contracts.
        Assert.Equal(500 + 20 + 1 + 1, driver.GetRunResult().GeneratedTrees.Length);

        SyntaxTree unrelated = compilation.SyntaxTrees.Single(t => t.ToString().Contains("class Clock"));
        SyntaxTree edited = unrelated.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(Unrelated.Replace("=> 1;", "=> 2;")));
        GeneratorRunResult result = driver.RunGenerators(compilation.ReplaceSyntaxTree(unrelated, edited)).GetRunResult().Results.Single();

        foreach (string step in new[] { TrackingNames.Services, TrackingNames.Formatters, TrackingNames.Registrations, TrackingNames.Contracts })
        {
            Assert.All(result.TrackedSteps[step].SelectMany(r => r.Outputs),
                output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {step} ran again ({output.Reason})"));
        }
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void Editing_a_method_body_in_the_contract_file_regenerates_nothing()
    {
        CSharpCompilation compilation = TestCompilation.Create(Contract);
        var (driver, _, _) = TestCompilation.RunGenerator(compilation, trackSteps: true);
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        SyntaxTree edited = tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(Contract.Replace("RpcSerializer.Serialize(basket);", "RpcSerializer.Serialize(basket) ; ")));
        GeneratorRunResult result = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, edited)).GetRunResult().Results.Single();
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void Changing_a_contract_regenerates_its_output()
    {
        CSharpCompilation compilation = TestCompilation.Create(Contract);
        var (driver, _, _) = TestCompilation.RunGenerator(compilation, trackSteps: true);
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        SyntaxTree edited = tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(Contract.Replace("ValueTask AddAsync(Line line);", "ValueTask AddAsync(Line line); Task ClearAsync();")));
        GeneratorRunResult result = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, edited)).GetRunResult().Results.Single();
        Assert.Contains(result.TrackedSteps[TrackingNames.Services].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(result.GeneratedSources, s => s.SourceText.ToString().Contains("ClearAsync"));
    }

    [Fact]
    public void The_models_in_the_cache_hold_no_symbols_syntax_or_compilations()
    {
        CSharpCompilation compilation = TestCompilation.Create(Contract);
        var (driver, _, _) = TestCompilation.RunGenerator(compilation, trackSteps: true);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        foreach (string step in TrackedSteps)
        {
            foreach (IncrementalGeneratorRunStep run in result.TrackedSteps[step])
            {
                foreach ((object value, IncrementalStepRunReason _) in run.Outputs)
                {
                    AssertNoRoslynObjects(value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
                }
            }
        }
    }

    private static void AssertNoRoslynObjects(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }
        Assert.False(value is ISymbol or Compilation or SyntaxNode or SemanticModel or SyntaxTree or Location,
            $"{path} holds a {value.GetType().Name}");
        if (value is IEnumerable sequence)
        {
            int i = 0;
            foreach (object? item in sequence)
            {
                AssertNoRoslynObjects(item, $"{path}[{i++}]", seen);
            }
            return;
        }
        foreach (FieldInfo field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertNoRoslynObjects(field.GetValue(value), $"{path}.{field.Name}", seen);
        }
    }
}
