namespace Rpc.Generators.Tests.Serialization;

/// <summary>Our generated serializers against bytes made by the real MemoryPack.</summary>
public sealed class MemoryPackVectorTests
{
    public static IEnumerable<object[]> Cases() => MemoryPackVector.LoadAll().Select(v => new object[] { v.Id });

    private static MemoryPackVector Vector(string id) => VectorAssembly.Instance.Vectors.Single(v => v.Id == id);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Serializing_the_value_gives_exactly_the_MemoryPack_bytes(string id)
    {
        MemoryPackVector vector = Vector(id);
        byte[] actual = (byte[])VectorAssembly.Instance.Invoke(id, "Serialize")!;
        Assert.Equal(vector.Hex, Convert.ToHexString(actual).ToLowerInvariant());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reading_the_MemoryPack_bytes_and_writing_them_again_gives_the_same_bytes(string id)
    {
        MemoryPackVector vector = Vector(id);
        byte[] actual = (byte[])VectorAssembly.Instance.Invoke(id, "RoundTrip", vector.Bytes())!;
        Assert.Equal(vector.Hex, Convert.ToHexString(actual).ToLowerInvariant());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bytes_split_into_one_byte_segments_read_the_same_as_contiguous_bytes(string id)
    {
        MemoryPackVector vector = Vector(id);
        byte[] actual = (byte[])VectorAssembly.Instance.Invoke(id, "RoundTripSplit", vector.Bytes())!;
        Assert.Equal(vector.Hex, Convert.ToHexString(actual).ToLowerInvariant());
    }
}
