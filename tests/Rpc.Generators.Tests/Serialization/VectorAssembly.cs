using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Rpc.Generators.Tests.Infrastructure;

namespace Rpc.Generators.Tests.Serialization;

/// <summary>
/// Every vector compiled once, through our generator, into one in-memory assembly: each case gets its own
/// namespace with its types and a runner class whose methods serialize the value and round-trip bytes.
/// A case whose source does not compile is reported as that case's failure, not the whole suite's.
/// </summary>
public sealed class VectorAssembly
{
    private static readonly Lazy<VectorAssembly> s_instance = new(() => new VectorAssembly(memoryPackAttributes: false));
    private static readonly Lazy<VectorAssembly> s_memoryPack = new(() => new VectorAssembly(memoryPackAttributes: true));

    private readonly Dictionary<string, string> _compileErrors = new();
    private readonly Assembly? _assembly;

    /// <summary>The cases with their types translated to Rpc's attributes.</summary>
    public static VectorAssembly Instance => s_instance.Value;

    /// <summary>
    /// The cases with their types exactly as MemoryPack compiled them, MemoryPack's attributes included: declared
    /// here by <see cref="MemoryPackStubs"/>, since the generator matches them by name and never
    /// references MemoryPack.
    /// </summary>
    public static VectorAssembly WithMemoryPackAttributes => s_memoryPack.Value;

    public IReadOnlyList<MemoryPackVector> Vectors { get; }

    private VectorAssembly(bool memoryPackAttributes)
    {
        Vectors = MemoryPackVector.LoadAll();
        var trees = Vectors.ToDictionary(v => v.Id, v => CSharpSyntaxTree.ParseText(SourceFor(v, memoryPackAttributes), TestCompilation.ParseOptions, path: v.Id + ".cs"));
        trees["(support)"] = CSharpSyntaxTree.ParseText(SupportSource, TestCompilation.ParseOptions, path: "Support.cs");
        if (memoryPackAttributes)
        {
            trees["(stubs)"] = CSharpSyntaxTree.ParseText(MemoryPackStubs.Source, TestCompilation.ParseOptions, path: "MemoryPackStubs.cs");
        }
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var (_, output, generatorDiagnostics) = TestCompilation.RunGenerator(TestCompilation.Create(trees.Values));
            var errors = generatorDiagnostics.Concat(output.GetDiagnostics()).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count == 0)
            {
                _assembly = TestCompilation.EmitAndLoad(output);
                return;
            }
            foreach (Diagnostic error in errors)
            {
                string id = CaseOf(error, trees.Keys);
                _compileErrors[id] = (_compileErrors.TryGetValue(id, out string? earlier) ? earlier + "\n" : "") + error;
                trees.Remove(id);
            }
        }
    }

    private static string CaseOf(Diagnostic error, IEnumerable<string> ids)
    {
        string file = Path.GetFileNameWithoutExtension(error.Location.SourceTree?.FilePath ?? "");
        if (ids.Contains(file))
        {
            return file;
        }
        // Generated files are named after the type; its namespace names the case.
        string text = error.Location.SourceTree?.ToString() ?? "";
        return ids.FirstOrDefault(id => text.Contains("Case_" + Sanitize(id) + ";") || text.Contains("Case_" + Sanitize(id) + "\n") || text.Contains("Case_" + Sanitize(id) + ".")) ?? "(unknown)";
    }

    public static string Sanitize(string id) => new(id.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());

    private static string SourceFor(MemoryPackVector vector, bool memoryPackAttributes) => $$"""
        #nullable enable
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using {{(memoryPackAttributes ? "MemoryPack" : "Rpc.Serialization")}};
        using RpcSerializer = global::Rpc.Serialization.RpcSerializer;

        namespace Case_{{Sanitize(vector.Id)}}
        {
        {{(memoryPackAttributes ? vector.Types : vector.TranslatedTypes())}}

            public static class Runner
            {
                public static byte[] Serialize() => RpcSerializer.Serialize<{{vector.SerializeType}}>({{MemoryPackVector.Translate(vector.Value)}}, {{vector.OptionsExpression()}});

                public static object? Deserialize(byte[] bytes) => RpcSerializer.Deserialize<{{vector.SerializeType}}>(bytes, {{vector.OptionsExpression()}});

                public static byte[] RoundTrip(byte[] bytes)
                {
                    {{vector.SerializeType}} value = RpcSerializer.Deserialize<{{vector.SerializeType}}>(bytes, {{vector.OptionsExpression()}})!;
                    return RpcSerializer.Serialize<{{vector.SerializeType}}>(value, {{vector.OptionsExpression()}});
                }

                public static byte[] RoundTripSplit(byte[] bytes)
                {
                    // The same bytes split into one-byte segments, as a pipe may deliver them.
                    {{vector.SerializeType}} value = RpcSerializer.Deserialize<{{vector.SerializeType}}>(global::VectorSupport.Segments.Split(bytes), {{vector.OptionsExpression()}})!;
                    return RpcSerializer.Serialize<{{vector.SerializeType}}>(value, {{vector.OptionsExpression()}});
                }
            }
        }
        """;

    private const string SupportSource = """
        using System;
        using System.Buffers;

        namespace VectorSupport
        {
            public static class Segments
            {
                public static ReadOnlySequence<byte> Split(byte[] bytes)
                {
                    if (bytes.Length == 0)
                    {
                        return ReadOnlySequence<byte>.Empty;
                    }
                    var first = new Segment(bytes.AsMemory(0, 1), 0);
                    Segment last = first;
                    for (int i = 1; i < bytes.Length; i++)
                    {
                        last = last.Append(bytes.AsMemory(i, 1));
                    }
                    return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
                }

                private sealed class Segment : ReadOnlySequenceSegment<byte>
                {
                    public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
                    {
                        Memory = memory;
                        RunningIndex = runningIndex;
                    }

                    public Segment Append(ReadOnlyMemory<byte> memory)
                    {
                        var next = new Segment(memory, RunningIndex + Memory.Length);
                        Next = next;
                        return next;
                    }
                }
            }
        }
        """;

    public MethodInfo Method(string id, string name)
    {
        if (_compileErrors.TryGetValue(id, out string? error))
        {
            throw new Xunit.Sdk.XunitException($"Case {id} did not compile:\n{error}");
        }
        Type runner = _assembly!.GetType($"Case_{Sanitize(id)}.Runner", throwOnError: true)!;
        return runner.GetMethod(name)!;
    }

    public object? Invoke(string id, string name, params object?[] arguments)
    {
        try
        {
            return Method(id, name).Invoke(null, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
