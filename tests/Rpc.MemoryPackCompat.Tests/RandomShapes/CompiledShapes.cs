using System.Reflection;
using Rpc.Serialization;

namespace Compat.RandomShapes;

/// <summary>
/// A seed's random shapes compiled twice, with MemoryPack's generator and (translated) with ours, and each shape
/// seen as a <see cref="ShapeCase"/> pair through the harness of each assembly (compiled once per test run).
/// </summary>
public sealed class CompiledShapes
{
    /// <summary>The seed <see cref="CompatSettings.Seed"/>, <see cref="CompatSettings.Shapes"/> shapes.</summary>
    public static readonly Lazy<CompiledShapes> Default = new(() => new CompiledShapes(CompatSettings.Seed, CompatSettings.Shapes));

    private readonly Harness _memoryPack;
    private readonly Harness _rpc;

    public CompiledShapes(int seed, int count)
    {
        Set = ShapeGenerator.Generate(seed, count);
        Source = ShapeRenderer.Render(Set);
        if (Environment.GetEnvironmentVariable("RPC_COMPAT_SHAPES_SOURCE") is { Length: > 0 } path)
        {
            File.WriteAllText(path, Source);
        }
        string suffix = Guid.NewGuid().ToString("N");
        _memoryPack = Harness.Of(ShapeCompiler.CompileAndLoad(Source, "MemoryPackGenerator", "RandomShapes.MemoryPack." + suffix), ShapeRenderer.HarnessType, rpc: false);
        _rpc = Harness.Of(ShapeCompiler.CompileAndLoad(TwinSource.Translate(Source), "RpcGenerator", "RandomShapes.Rpc." + suffix), TwinSource.Translate(ShapeRenderer.HarnessType), rpc: true);
    }

    public ShapeSet Set { get; }

    /// <summary>The whole MemoryPack source.</summary>
    public string Source { get; }

    /// <summary>How many shapes of each kind, how many compared after Rpc's rewrite (stale padding), how many versions.</summary>
    public string Summary() =>
        string.Join(", ", Set.Shapes.GroupBy(s => s.Kind).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}")) +
        $"; {Set.Shapes.Count(s => s.Stale)} with stale padding; {Set.Shapes.Count(s => s.EvolvesFrom is not null)} newer versions";

    /// <summary>The shape through MemoryPack's and through Rpc's assembly, strings in UTF-8 or UTF-16 by default.</summary>
    public (ShapeCase MemoryPack, ShapeCase Rpc) Twins(Shape shape, bool utf16) =>
        (_memoryPack.Case(shape, utf16), _rpc.Case(shape, utf16));

    /// <summary>What a failure shows: the seed and the shape's declaration (and the version it evolves from).</summary>
    public string Describe(Shape shape)
    {
        string older = shape.EvolvesFrom is int old ? "\nevolved from:\n" + ShapeRenderer.Declaration(Set.Shapes[old]) : "";
        return $"seed {Set.Seed}, {Set.Shapes.Count} shapes (RPC_COMPAT_SEED={Set.Seed} RPC_COMPAT_SHAPES={Set.Shapes.Count}), shape {shape.Index}:\n" +
            ShapeRenderer.Declaration(shape) + older;
    }

    /// <summary>
    /// A compiled harness's entry points. <see cref="WriteToWriter"/> (Rpc only): the buffer-writer overload, which
    /// copies some payloads straight into the writer, must write what the array overload writes.
    /// </summary>
    private sealed record Harness(
        Func<int, Random, object?> Make,
        Func<int, object?, bool, byte[]> Write,
        Func<int, byte[], bool, object?> Read,
        Func<int, object?, bool, byte[]>? WriteToWriter)
    {
        public static Harness Of(Assembly assembly, string typeName, bool rpc)
        {
            Type type = assembly.GetType(typeName, throwOnError: true)!;
            Func<int, Type> typeOf = type.GetMethod("TypeOf")!.CreateDelegate<Func<int, Type>>();
            return new Harness(
                type.GetMethod("Make")!.CreateDelegate<Func<int, Random, object?>>(),
                type.GetMethod("Write")!.CreateDelegate<Func<int, object?, bool, byte[]>>(),
                type.GetMethod("Read")!.CreateDelegate<Func<int, byte[], bool, object?>>(),
                rpc ? (shape, value, utf16) => RpcWriteToWriter(typeOf(shape), value, utf16) : null);
        }

        public ShapeCase Case(Shape shape, bool utf16)
        {
            int index = shape.Index;
            Func<object?, byte[]> write = WriteToWriter is null ? value => Write(index, value, utf16) : value => WriteBothWays(index, value, utf16, shape.Stale);
            return new ShapeCase($"S{index}", r => Make(index, r), write, bytes => Read(index, bytes, utf16), shape.Stale, write, bytes => Read(index, bytes, utf16));
        }

        private byte[] WriteBothWays(int shape, object? value, bool utf16, bool stale)
        {
            byte[] bytes = Write(shape, value, utf16);
            byte[] written = WriteToWriter!(shape, value, utf16);
            const string Message = "Rpc's Serialize to a buffer writer wrote other bytes than Serialize to an array";
            if (stale)
            {
                // The padding of nested raw structs may differ (see TwinCheck.SameBytesBesidesPadding).
                CompatAssert.SameBytesBesidesAnyPadding(bytes, written, Message);
            }
            else
            {
                CompatAssert.SameBytes(bytes, written, Message);
            }
            return bytes;
        }

        // BufferWriterOverload.Write<T> for the shape's type.
        private static byte[] RpcWriteToWriter(Type type, object? value, bool utf16) =>
            (byte[])typeof(BufferWriterOverload).GetMethod(nameof(BufferWriterOverload.Write))!.MakeGenericMethod(type)
                .Invoke(null, [value, utf16 ? RpcSerializerOptions.Utf16 : RpcSerializerOptions.Default])!;
    }
}
