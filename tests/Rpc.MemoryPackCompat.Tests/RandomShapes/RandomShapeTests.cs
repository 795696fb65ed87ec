using Xunit.Abstractions;

namespace Compat.RandomShapes;

/// <summary>
/// The real MemoryPack against Rpc over random type shapes (<see cref="ShapeGenerator"/>): for the seed
/// <see cref="CompatSettings.Seed"/>, <see cref="CompatSettings.Shapes"/> shapes are compiled with each library's
/// generator and every shape is checked as the hand-written twins are, over <see cref="CompatSettings.Iterations"/>
/// values (every fourth with UTF-16 strings); newer versions of shapes read older payloads alike in both.
/// </summary>
public sealed class RandomShapeTests(ITestOutputHelper output)
{
    [Fact]
    public void Random_shapes_write_the_same_bytes_in_both_libraries_and_read_each_others()
    {
        CompiledShapes shapes = CompiledShapes.Default.Value;
        output.WriteLine($"seed {shapes.Set.Seed}: {shapes.Summary()}");
        var failures = new List<string>();
        int refused = 0;
        foreach (Shape shape in shapes.Set.Shapes)
        {
            var memoryPackRandom = new Random(ValueSeed(shapes.Set, shape));
            var rpcRandom = new Random(ValueSeed(shapes.Set, shape));
            (ShapeCase MemoryPack, ShapeCase Rpc)[] encodings = [shapes.Twins(shape, utf16: false), shapes.Twins(shape, utf16: true)];
            for (int i = 0; i < CompatSettings.Iterations; i++)
            {
                bool utf16 = i % 4 == 3;
                (ShapeCase memoryPack, ShapeCase rpc) = encodings[utf16 ? 1 : 0];
                string where = $"value {i}{(utf16 ? " with UTF-16 strings" : "")}";
                if (Check(shapes, shape, failures, () =>
                    {
                        object? memoryPackValue = memoryPack.Make(memoryPackRandom);
                        object? rpcValue = rpc.Make(rpcRandom);
                        if (MemoryPackRefuses(memoryPack, memoryPackValue))
                        {
                            // A lone surrogate in a UTF-8 string: Rpc must refuse it too.
                            refused++;
                            Assert.Throws<Rpc.Serialization.RpcSerializationException>(() => rpc.Write(rpcValue));
                            return;
                        }
                        if (shape.Stale)
                        {
                            TwinCheck.SameBytesBesidesPadding(memoryPack, rpc, memoryPackValue, rpcValue, where);
                            return;
                        }
                        TwinCheck.SameBytes(memoryPack, rpc, memoryPackValue, rpcValue, where);
                    }))
                {
                    break;
                }
            }
        }
        output.WriteLine($"{refused} values refused by both libraries (a lone surrogate in a UTF-8 string)");
        Assert.True(failures.Count == 0, $"{failures.Count} of {shapes.Set.Shapes.Count} random shapes differ:\n\n" + string.Join("\n\n", failures.Take(5)));
    }

    [Fact]
    public void An_old_payload_of_a_random_shape_reads_alike_as_its_new_version_in_both_libraries()
    {
        CompiledShapes shapes = CompiledShapes.Default.Value;
        var failures = new List<string>();
        List<Shape> newer = shapes.Set.Shapes.Where(s => s.EvolvesFrom is not null).ToList();
        Assert.NotEmpty(newer);
        foreach (Shape shape in newer)
        {
            Shape older = shapes.Set.Shapes[shape.EvolvesFrom!.Value];
            (ShapeCase memoryPackOld, ShapeCase rpcOld) = shapes.Twins(older, utf16: false);
            (ShapeCase memoryPackNew, ShapeCase rpcNew) = shapes.Twins(shape, utf16: false);
            var random = new Random(ValueSeed(shapes.Set, shape));
            for (int i = 0; i < CompatSettings.Iterations; i++)
            {
                string where = $"value {i}";
                if (Check(shapes, shape, failures, () =>
                    {
                        object? oldValue = memoryPackOld.Make(random);
                        if (!MemoryPackRefuses(memoryPackOld, oldValue))
                        {
                            TwinCheck.SameNewValue(rpcOld, memoryPackNew, rpcNew, memoryPackOld.Write(oldValue), where + ": old payload read as new");
                        }
                        object? newValue = memoryPackNew.Make(random);
                        if (shape.Kind == ShapeKind.VersionTolerant && !MemoryPackRefuses(memoryPackNew, newValue))
                        {
                            // A version-tolerant type also reads newer payloads, skipping members it does not know.
                            TwinCheck.SameNewValue(rpcNew, memoryPackOld, rpcOld, memoryPackNew.Write(newValue), where + ": new payload read as old");
                        }
                    }))
                {
                    break;
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {newer.Count} version changes differ:\n\n" + string.Join("\n\n", failures.Take(5)));
    }

    // The values of a shape do not depend on how many shapes came before in the run.
    private static int ValueSeed(ShapeSet set, Shape shape) => unchecked(set.Seed * 7919 + shape.Index);

    /// <summary>MemoryPack refuses to write the value (a lone surrogate in a UTF-8 string).</summary>
    private static bool MemoryPackRefuses(ShapeCase memoryPack, object? value)
    {
        try
        {
            memoryPack.Write(value);
            return false;
        }
        catch (MemoryPack.MemoryPackSerializationException)
        {
            return true;
        }
    }

    /// <summary>Runs one check; a failure (or an exception of either library) is recorded with the shape's declaration.</summary>
    private static bool Check(CompiledShapes shapes, Shape shape, List<string> failures, Action check)
    {
        try
        {
            check();
            return false;
        }
        catch (Exception e)
        {
            // An assertion says what differs; any other exception is shown with where it was thrown.
            failures.Add(shapes.Describe(shape) + "\n" + (e is Xunit.Sdk.XunitException ? e.Message : e.ToString()));
            return true;
        }
    }
}
