namespace Rpc.Generators.Tests.Serialization;

/// <summary>
/// The golden vectors' types exactly as MemoryPack compiled them, with MemoryPack's own attributes
/// (<c>[MemoryPackable]</c>, <c>[MemoryPackOrder]</c>, <c>[MemoryPackUnion]</c>, ...): the generator honours them as
/// their Rpc twins, so existing MemoryPack types give MemoryPack's bytes unchanged.
/// </summary>
public sealed class MemoryPackAttributeVectorTests
{
    public static IEnumerable<object[]> Cases() => MemoryPackVector.LoadAll().Select(v => new object[] { v.Id });

    private static MemoryPackVector Vector(string id) => VectorAssembly.WithMemoryPackAttributes.Vectors.Single(v => v.Id == id);

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_type_with_only_MemoryPack_attributes_serializes_to_exactly_the_MemoryPack_bytes(string id)
    {
        MemoryPackVector vector = Vector(id);
        byte[] actual = (byte[])VectorAssembly.WithMemoryPackAttributes.Invoke(id, "Serialize")!;
        Assert.Equal(vector.Hex, Convert.ToHexString(actual).ToLowerInvariant());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_type_with_only_MemoryPack_attributes_reads_the_MemoryPack_bytes_back(string id)
    {
        MemoryPackVector vector = Vector(id);
        byte[] actual = (byte[])VectorAssembly.WithMemoryPackAttributes.Invoke(id, "RoundTrip", vector.Bytes())!;
        Assert.Equal(vector.Hex, Convert.ToHexString(actual).ToLowerInvariant());
    }
}
