using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Rpc.Generators.Contracts;
using Rpc.Generators.Emit;
using Rpc.Generators.Model;
using Rpc.Generators.Parsing;

namespace Rpc.Generators;

/// <summary>
/// The pipeline: <c>[RpcService]</c> interfaces, <c>[RpcMessage]</c> types and <c>RpcSerializer</c> calls are parsed
/// into value models; emitters turn the models into a proxy and dispatcher per service, a formatter per user type,
/// and one module initializer that registers every formatter.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class RpcGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ServiceParseResult> services = context.SyntaxProvider
            .ForAttributeWithMetadataName(WellKnownNames.RpcServiceAttribute, static (node, _) => true, ReusedParses.Service)
            .WithTrackingName(TrackingNames.Services);

        IncrementalValuesProvider<TypesParseResult> messages = context.SyntaxProvider
            .ForAttributeWithMetadataName(WellKnownNames.RpcMessageAttribute, static (node, _) => true, MessageParser.Parse)
            .WithTrackingName(TrackingNames.Messages);

        // Types with MemoryPack's own [MemoryPackable] are messages too, read with MemoryPack's attributes.
        IncrementalValuesProvider<TypesParseResult> memoryPackMessages = context.SyntaxProvider
            .ForAttributeWithMetadataName(WellKnownNames.MemoryPackableAttribute, static (node, _) => true, MessageParser.ParseMemoryPackable)
            .WithTrackingName(TrackingNames.MemoryPackMessages);
        IncrementalValueProvider<ImmutableArray<TypesParseResult>> allMessages = messages.Collect()
            .Combine(memoryPackMessages.Collect())
            .Select(static (pair, _) => pair.Right.IsEmpty ? pair.Left : pair.Left.AddRange(pair.Right))
            .WithComparer(ImmutableArrayComparer<TypesParseResult>.Instance);

        IncrementalValuesProvider<TypesParseResult> serializerCalls = context.SyntaxProvider
            .CreateSyntaxProvider(SerializerCallParser.IsCandidate, SerializerCallParser.Parse)
            .Where(static result => result != TypesParseResult.Empty)
            .WithTrackingName(TrackingNames.SerializerCalls);

        // Diagnostics come from RpcContractAnalyzer at the user's own syntax (so #pragma and .editorconfig apply);
        // the generator only writes code, and writes nothing for a construct it cannot generate correctly.
        context.RegisterSourceOutput(services, static (output, result) =>
        {
            if (result.Service is { } service)
            {
                output.AddSource(HintName(service.Namespace, service.GeneratedNamePrefix + "Rpc") + ".g.cs", SourceText.From(ServiceEmitter.Emit(service), Encoding.UTF8));
            }
        });

        IncrementalValuesProvider<SerializationSpec> serialization = services.Select(static (r, _) => r.Serialization)
            .Collect()
            .Combine(allMessages)
            .Combine(serializerCalls.Collect())
            .SelectMany(static (all, _) => all.Left.Left
                .Concat(all.Left.Right.Select(m => m.Serialization))
                .Concat(all.Right.Select(c => c.Serialization)));

        // Formatters: one file per user type, however many sources reach it.
        IncrementalValueProvider<ImmutableArray<FormatterSpec>> formatters = serialization
            .SelectMany(static (spec, _) => spec.Formatters)
            .Collect()
            .Select(static (all, _) => all.GroupBy(f => f.Key, StringComparer.Ordinal).Select(g => g.First()).OrderBy(f => f.Key, StringComparer.Ordinal).ToImmutableArray())
            .WithComparer(ImmutableArrayComparer<FormatterSpec>.Instance)
            .WithTrackingName(TrackingNames.Formatters);

        context.RegisterSourceOutput(formatters, static (output, all) =>
        {
            foreach (FormatterSpec formatter in all)
            {
                output.AddSource(HintName(string.Empty, formatter.Key) + ".RpcFormatter.g.cs", SourceText.From(FormatterEmitter.Emit(formatter), Encoding.UTF8));
            }
        });

        IncrementalValueProvider<ImmutableArray<RegistrationSpec>> registrations = serialization
            .SelectMany(static (spec, _) => spec.Registrations)
            .Collect()
            .Select(static (all, _) => all.GroupBy(r => r.TypeName, StringComparer.Ordinal).Select(g => g.First()).OrderBy(r => r.TypeName, StringComparer.Ordinal).ToImmutableArray())
            .WithComparer(ImmutableArrayComparer<RegistrationSpec>.Instance)
            .WithTrackingName(TrackingNames.Registrations);

        context.RegisterSourceOutput(registrations, static (output, all) =>
        {
            if (all.Length > 0)
            {
                output.AddSource("RpcFormatterRegistrations.g.cs", SourceText.From(RegistrationEmitter.Emit(all), Encoding.UTF8));
            }
        });
        RegisterContracts(context, services, formatters);
    }

    /// <summary>
    /// The contract of every service as data (docs/contracts.md): built from the service and formatter models plus a
    /// walk that finds enums and value types, then emitted as <c>RpcContracts</c>.
    /// </summary>
    private static void RegisterContracts(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<ServiceParseResult> services, IncrementalValueProvider<ImmutableArray<FormatterSpec>> formatters)
    {
        IncrementalValuesProvider<ContractTypeFactsSpec> facts = context.SyntaxProvider
            .ForAttributeWithMetadataName(WellKnownNames.RpcServiceAttribute, static (node, _) => true, ReusedParses.ContractFacts)
            .WithTrackingName(TrackingNames.ContractFacts);

        IncrementalValueProvider<ContractSetSpec> contracts = services
            .Where(static r => r.Service is not null)
            .Select(static (r, _) => r.Service!)
            .Collect()
            .Combine(formatters)
            .Combine(facts.Collect())
            .Select(static (all, _) => ContractBuilder.Build(all.Left.Left, all.Left.Right, all.Right))
            .WithTrackingName(TrackingNames.Contracts);

        context.RegisterSourceOutput(contracts, static (output, set) =>
        {
            if (set.Services.Count > 0)
            {
                output.AddSource("RpcContracts.g.cs", SourceText.From(ContractEmitter.Emit(set), Encoding.UTF8));
            }
        });
    }

    private static string HintName(string ns, string name)
    {
        var builder = new StringBuilder();
        foreach (char c in ns.Length == 0 ? name : ns + "." + name)
        {
            builder.Append(char.IsLetterOrDigit(c) || c == '.' || c == '_' ? c : '_');
        }
        return builder.ToString();
    }

    private sealed class ImmutableArrayComparer<T> : IEqualityComparer<ImmutableArray<T>>
    {
        public static readonly ImmutableArrayComparer<T> Instance = new();

        public bool Equals(ImmutableArray<T> x, ImmutableArray<T> y) => x.SequenceEqual(y);

        public int GetHashCode(ImmutableArray<T> obj) => obj.Length;
    }
}
