namespace Compat;

/// <summary>Byte comparison that says where two payloads part (and writes both to <c>RPC_COMPAT_DUMP</c> when set).</summary>
public static class CompatAssert
{
    public static void SameBytes(byte[] expected, byte[] actual, string message)
    {
        if (!expected.AsSpan().SequenceEqual(actual))
        {
            int first = 0;
            while (first < Math.Min(expected.Length, actual.Length) && expected[first] == actual[first])
            {
                first++;
            }
            if (Environment.GetEnvironmentVariable("RPC_COMPAT_DUMP") is { Length: > 0 } dump)
            {
                File.WriteAllText(dump, Convert.ToHexString(expected) + "\n" + Convert.ToHexString(actual) + "\n");
            }
            Assert.Fail($"{message}: lengths {expected.Length} and {actual.Length}, first difference at byte {first}.\n" +
                $"expected {Convert.ToHexString(expected)}\nactual   {Convert.ToHexString(actual)}");
        }
    }

    /// <summary>
    /// The same length, and bytes that differ only where <paramref name="zeroed"/> has a zero: MemoryPack's stale
    /// padding against Rpc's zeroed padding.
    /// </summary>
    public static void SameBytesBesidesPadding(byte[] zeroed, byte[] actual, string message)
    {
        bool same = zeroed.Length == actual.Length;
        for (int i = 0; same && i < zeroed.Length; i++)
        {
            same = zeroed[i] == actual[i] || zeroed[i] == 0;
        }
        if (!same)
        {
            SameBytes(zeroed, actual, message);
        }
    }

    /// <summary>
    /// The same length, and bytes that differ only where one side has a zero: padding that one writer zeroed and the
    /// other copied from a value's own memory (either library, for padded raw structs nested in tuples, pairs and
    /// collections).
    /// </summary>
    public static void SameBytesBesidesAnyPadding(byte[] expected, byte[] actual, string message)
    {
        bool same = expected.Length == actual.Length;
        for (int i = 0; same && i < expected.Length; i++)
        {
            same = expected[i] == actual[i] || expected[i] == 0 || actual[i] == 0;
        }
        if (!same)
        {
            SameBytes(expected, actual, message);
        }
    }
}
