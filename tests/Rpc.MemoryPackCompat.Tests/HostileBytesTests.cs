using Rpc.Serialization;

namespace Compat;

/// <summary>
/// Mutated payloads of every shape (bytes flipped, cut short, inserted, counts and lengths made huge): reading them
/// ends in a value or an <see cref="RpcSerializationException"/>, never another exception (MemoryPack throws
/// ArgumentOutOfRange, Overflow and duplicate-key exceptions on the same mutations).
/// </summary>
public sealed class HostileBytesTests
{
    public static TheoryData<string> Shapes() => new(RpcTwins.Catalogue.Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_mutated_payload_ends_in_a_value_or_an_RpcSerializationException(string shape)
    {
        ShapeCase rpc = RpcTwins.Catalogue.Cases.Single(c => c.Name == shape);
        var random = new Random(CompatSettings.Seed);
        int payloads = Math.Max(10, CompatSettings.Iterations / 5);
        for (int i = 0; i < payloads; i++)
        {
            byte[] original = rpc.Write(rpc.Make(random));
            for (int m = 0; m < 40; m++)
            {
                byte[] mutated = Mutate(original, random);
                try
                {
                    rpc.Read(mutated);
                }
                catch (RpcSerializationException)
                {
                }
                catch (Exception e)
                {
                    Assert.Fail($"{shape} payload {i} mutation {m} (seed {CompatSettings.Seed}) threw {e.GetType().Name}: {e.Message}\n" +
                        $"bytes {Convert.ToHexString(mutated)}\n{e}");
                }
            }
        }
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        int edits = 1 + random.Next(3);
        for (int e = 0; e < edits; e++)
        {
            int at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at); // cut short
                    break;
                case 3:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 4 when bytes.Count > at + 4:
                    // A count or a length made huge or negative.
                    int huge = random.Next(3) switch { 0 => int.MaxValue, 1 => -2, _ => random.Next() };
                    for (int k = 0; k < 4; k++)
                    {
                        bytes[at + k] = BitConverter.GetBytes(huge)[k];
                    }
                    break;
                default:
                    if (bytes.Count > 0)
                    {
                        bytes[at] = random.Next(4) switch { 0 => 0xFF, 1 => 0xFA, 2 => 0xF9, _ => 0x00 };
                    }
                    break;
            }
        }
        return bytes.ToArray();
    }
}
