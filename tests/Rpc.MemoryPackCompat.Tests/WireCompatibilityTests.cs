namespace Compat;

/// <summary>
/// The real MemoryPack against Rpc, shape by shape: from the same seed each twin builds the same value; both must
/// write the same bytes, each must read the other's bytes back to a value it writes again as the same bytes, and
/// each must round-trip its own.
/// </summary>
public sealed class WireCompatibilityTests
{
    public static TheoryData<string> Shapes() => new(MemoryPackTwins.Catalogue.Cases.Select(c => c.Name));

    public static TheoryData<string, string> Evolutions()
    {
        var data = new TheoryData<string, string>();
        foreach (EvolutionCase evolution in MemoryPackTwins.Catalogue.Evolutions)
        {
            data.Add(evolution.Old, evolution.New);
        }
        return data;
    }

    private static (ShapeCase MemoryPack, ShapeCase Rpc) Twins(string name) =>
        (MemoryPackTwins.Catalogue.Cases.Single(c => c.Name == name), RpcTwins.Catalogue.Cases.Single(c => c.Name == name));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Both_libraries_write_the_same_bytes_and_read_each_others(string shape)
    {
        (ShapeCase memoryPack, ShapeCase rpc) = Twins(shape);
        var memoryPackRandom = new Random(CompatSettings.Seed);
        var rpcRandom = new Random(CompatSettings.Seed);
        for (int i = 0; i < CompatSettings.Iterations; i++)
        {
            string where = $"{shape} value {i} (seed {CompatSettings.Seed})";
            TwinCheck.SameBytes(memoryPack, rpc, memoryPack.Make(memoryPackRandom), rpc.Make(rpcRandom), where);
        }
    }

    [Theory]
    [MemberData(nameof(Evolutions))]
    public void An_old_payload_read_as_the_new_version_gives_the_same_value_in_both_libraries(string oldShape, string newShape)
    {
        EvolutionCase evolution = MemoryPackTwins.Catalogue.Evolutions.Single(e => e.Old == oldShape && e.New == newShape);
        (ShapeCase memoryPackOld, ShapeCase rpcOld) = Twins(oldShape);
        (ShapeCase memoryPackNew, ShapeCase rpcNew) = Twins(newShape);
        var random = new Random(CompatSettings.Seed);
        for (int i = 0; i < CompatSettings.Iterations; i++)
        {
            byte[] bytes = memoryPackOld.Write(memoryPackOld.Make(random));
            string where = $"{oldShape} -> {newShape} value {i} (seed {CompatSettings.Seed})";
            if (evolution.Fails)
            {
                Assert.ThrowsAny<MemoryPack.MemoryPackSerializationException>(() => memoryPackNew.Read(bytes));
                Assert.Throws<Rpc.Serialization.RpcSerializationException>(() => rpcNew.Read(bytes));
                continue;
            }
            TwinCheck.SameNewValue(rpcOld, memoryPackNew, rpcNew, bytes, where);
        }
    }
}
