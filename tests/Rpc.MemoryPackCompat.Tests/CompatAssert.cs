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
    /// The same length, and bytes that differ only in runs of at most 15 (the widest padding: a byte before an
    /// Int128): padding that either library copied from a value's own memory, which holds whatever the stack held when
    /// the value was built (both libraries, for padded raw structs nested in tuples, pairs and collections). Weaker
    /// than <see cref="SameBytes"/>: the shapes that need it also cross-read each other's bytes.
    /// </summary>
    public static void SameBytesBesidesAnyPadding(byte[] expected, byte[] actual, string message)
    {
        bool same = expected.Length == actual.Length;
        int run = 0;
        for (int i = 0; same && i < expected.Length; i++)
        {
            run = expected[i] == actual[i] ? 0 : run + 1;
            same = run <= 15;
        }
        if (!same)
        {
            SameBytes(expected, actual, message);
        }
    }
}
