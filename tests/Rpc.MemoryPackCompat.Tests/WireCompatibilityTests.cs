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
            byte[] memoryPackBytes = memoryPack.Write(memoryPack.Make(memoryPackRandom));
            byte[] rpcBytes = rpc.Write(rpc.Make(rpcRandom));
            string where = $"{shape} value {i} (seed {CompatSettings.Seed})";
            CompatAssert.SameBytes(rpcBytes, rpc.Write(rpc.Read(rpcBytes)), where + ": Rpc's round trip changed the bytes");
            if (memoryPack.MemoryPackLeavesStalePadding)
            {
                // Compare MemoryPack's bytes as Rpc rewrites them (padding zeroed): the same values, Rpc's bytes.
                CompatAssert.SameBytes(rpcBytes, rpc.Write(rpc.Read(memoryPackBytes)), where + ": Rpc read MemoryPack's bytes into another value");
                CompatAssert.SameBytes(rpcBytes, rpc.Write(rpc.Read(memoryPack.Write(memoryPack.Read(rpcBytes)))), where + ": MemoryPack read Rpc's bytes into another value");
                continue;
            }
            CompatAssert.SameBytes(memoryPackBytes, rpcBytes, where + ": Rpc wrote other bytes than MemoryPack");
            CompatAssert.SameBytes(memoryPackBytes, rpc.Write(rpc.Read(memoryPackBytes)), where + ": Rpc read MemoryPack's bytes and wrote them back differently");
            CompatAssert.SameBytes(rpcBytes, memoryPack.Write(memoryPack.Read(rpcBytes)), where + ": MemoryPack read Rpc's bytes and wrote them back differently");
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
            byte[] byMemoryPack = memoryPackNew.Write(memoryPackNew.Read(bytes));
            byte[] byRpc = rpcNew.Write(rpcNew.Read(bytes));
            CompatAssert.SameBytes(byMemoryPack, byRpc, where + ": the two libraries read the old payload into different new values");
            // And the other way: Rpc's old payload read by MemoryPack's new type.
            byte[] rpcOldBytes = rpcOld.Write(rpcOld.Read(bytes));
            CompatAssert.SameBytes(byMemoryPack, memoryPackNew.Write(memoryPackNew.Read(rpcOldBytes)), where + ": MemoryPack read Rpc's old payload differently");
        }
    }
}
