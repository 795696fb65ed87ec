namespace Compat;

/// <summary>
/// Types that carry only MemoryPack's attributes, serialized by Rpc: the generator honours <c>[MemoryPackable]</c>,
/// <c>[MemoryPackOrder]</c>, <c>[MemoryPackUnion]</c>, ... as their Rpc twins, so Rpc writes exactly MemoryPack's
/// bytes for the very same types and reads MemoryPack's bytes back.
/// </summary>
public sealed class MemoryPackAttributeTests
{
    public static TheoryData<string> Shapes() => new(MemoryPackTwins.Catalogue.Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Rpc_writes_a_MemoryPack_type_as_MemoryPack_does_and_reads_its_bytes(string shape)
    {
        ShapeCase twin = MemoryPackTwins.Catalogue.Cases.Single(c => c.Name == shape);
        var random = new Random(CompatSettings.Seed);
        for (int i = 0; i < CompatSettings.Iterations; i++)
        {
            object? value = twin.Make(random);
            byte[] memoryPackBytes = twin.Write(value);
            byte[] rpcBytes = twin.WriteWithRpc(value);
            string where = $"{shape} value {i} (seed {CompatSettings.Seed})";
            CompatAssert.SameBytes(rpcBytes, twin.WriteWithRpc(twin.ReadWithRpc(rpcBytes)), where + ": Rpc's round trip changed the bytes");
            if (twin.MemoryPackLeavesStalePadding)
            {
                CompatAssert.SameBytes(rpcBytes, twin.WriteWithRpc(twin.ReadWithRpc(memoryPackBytes)), where + ": Rpc read MemoryPack's bytes into another value");
                continue;
            }
            CompatAssert.SameBytes(memoryPackBytes, rpcBytes, where + ": Rpc wrote other bytes than MemoryPack for the same type");
            CompatAssert.SameBytes(memoryPackBytes, twin.Write(twin.ReadWithRpc(memoryPackBytes)), where + ": Rpc read MemoryPack's bytes into another value");
        }
    }
}
