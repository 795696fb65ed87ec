using Rpc.Serialization;

namespace Rpc.Generators.Tests.Serialization;

/// <summary>
/// Hostile bytes: every truncated prefix and thousands of seeded random mutations of every vector either read or
/// throw <see cref="RpcSerializationException"/>; nothing else escapes, nothing hangs, and no read allocates more
/// than its input can justify.
/// </summary>
public sealed class HostileInputTests
{
    private const int MutationsPerVector = 2000;

    public static IEnumerable<object[]> Cases() => MemoryPackVector.LoadAll().Select(v => new object[] { v.Id });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_truncated_prefix_reads_or_throws_a_serialization_exception(string id)
    {
        byte[] bytes = VectorAssembly.Instance.Vectors.Single(v => v.Id == id).Bytes();
        for (int length = 0; length < bytes.Length; length++)
        {
            AssertReadsOrRejects(id, bytes[..length]);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Random_mutations_read_or_throw_a_serialization_exception(string id)
    {
        byte[] original = VectorAssembly.Instance.Vectors.Single(v => v.Id == id).Bytes();
        // Seeded per case so a failure reproduces; the seed and the mutated bytes are in the failure message.
        var random = new Random(StringComparer.Ordinal.GetHashCode(id) & 0x7fffffff ^ 0x5eed);
        for (int i = 0; i < MutationsPerVector; i++)
        {
            byte[] mutated = Mutate(original, random);
            AssertReadsOrRejects(id, mutated);
        }
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits; e++)
        {
            int choice = random.Next(6);
            int position = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (choice)
            {
                case 0 when bytes.Count > 0:
                    bytes[position] = (byte)random.Next(256);
                    break;
                case 1 when bytes.Count > 0:
                    bytes[position] ^= (byte)(1 << random.Next(8));
                    break;
                case 2:
                    bytes.Insert(position, (byte)random.Next(256));
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveAt(position);
                    break;
                case 4 when bytes.Count >= position + 4:
                    // A lying length: a large or negative int32 where a header may sit.
                    int lie = random.Next(3) switch { 0 => int.MaxValue, 1 => -2 - random.Next(1000), _ => random.Next(1 << 20) };
                    for (int k = 0; k < 4; k++)
                    {
                        bytes[position + k] = (byte)(lie >> (8 * k));
                    }
                    break;
                default:
                    if (bytes.Count > 0)
                    {
                        bytes[position] = random.Next(2) == 0 ? (byte)0xff : (byte)0xfa;
                    }
                    break;
            }
        }
        return bytes.ToArray();
    }

    private static void AssertReadsOrRejects(string id, byte[] bytes)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            VectorAssembly.Instance.Invoke(id, "Deserialize", bytes);
        }
        catch (RpcSerializationException)
        {
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"Case {id}: bytes {Convert.ToHexString(bytes)} threw {e.GetType().Name} instead of RpcSerializationException: {e}");
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // Every element or char read costs at least one input byte; objects and array headers cost a bounded factor.
        long budget = 64 * 1024 + 512L * bytes.Length;
        Assert.True(allocated <= budget, $"Case {id}: reading {bytes.Length} bytes allocated {allocated} bytes (budget {budget}): {Convert.ToHexString(bytes)}");
    }
}
