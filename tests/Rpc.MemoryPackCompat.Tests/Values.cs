using System.Text;

namespace Compat;

/// <summary>
/// Random values for the twins, edge values favoured: both twins call the same methods in the same order from the
/// same seed, so they build equal values.
/// </summary>
public static class Values
{
    private static readonly string[] s_texts =
    [
        "", "a", "hello, world", "héllo €", "日本語のテキスト", "emoji 😀 and 𝄞", "tab\tnew\nline\0nul", new string('x', 300),
        "Ünïcödé ÀÉÎÕÜ ß ø å", "\uFEFFbom", "مرحبا", "a\u0301e\u0301",
    ];

    public static bool Chance(Random r, int percent) => r.Next(100) < percent;

    public static bool Bool(Random r) => r.Next(2) == 1;

    public static byte Byte(Random r) => Pick<byte>(r, [byte.MinValue, byte.MaxValue, 1, 0x7F, 0x80], () => (byte)r.Next(256));

    public static sbyte SByte(Random r) => Pick<sbyte>(r, [sbyte.MinValue, sbyte.MaxValue, -1, 0], () => (sbyte)r.Next(-128, 128));

    public static short Short(Random r) => Pick<short>(r, [short.MinValue, short.MaxValue, -1, 0], () => (short)r.Next(short.MinValue, short.MaxValue + 1));

    public static ushort UShort(Random r) => Pick<ushort>(r, [ushort.MinValue, ushort.MaxValue, 0xBEEF], () => (ushort)r.Next(ushort.MaxValue + 1));

    public static int Int(Random r) => Pick(r, [int.MinValue, int.MaxValue, -1, 0, 1, 249, 250, 255, 256], () => r.Next(int.MinValue, int.MaxValue));

    public static uint UInt(Random r) => Pick(r, [uint.MinValue, uint.MaxValue, 0x80000000], () => (uint)r.NextInt64(0, uint.MaxValue + 1L));

    public static long Long(Random r) => Pick(r, [long.MinValue, long.MaxValue, -1, 0], () => r.NextInt64(long.MinValue, long.MaxValue));

    public static ulong ULong(Random r) => Pick(r, [ulong.MinValue, ulong.MaxValue], () => (ulong)r.NextInt64(long.MinValue, long.MaxValue));

    public static float Float(Random r) => Pick(r, [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, float.Epsilon, float.MaxValue, float.MinValue], () => (float)(r.NextDouble() * 1e6 - 5e5));

    public static double Double(Random r) => Pick(r, [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0d, double.Epsilon, double.MaxValue, double.MinValue], () => r.NextDouble() * 1e12 - 5e11);

    public static decimal Decimal(Random r) => Pick(r, [decimal.MinValue, decimal.MaxValue, 0m, -0.0001m, 1.5m], () => new decimal(r.Next(), r.Next(), r.Next(), Bool(r), (byte)r.Next(29)));

    public static char Char(Random r) => Pick(r, ['\0', 'a', '\uFFFF', 'é', '\uD800'], () => (char)r.Next(0x20, 0xD7FF));

    public static Half Half(Random r) => Pick(r, [System.Half.NaN, System.Half.MaxValue, System.Half.MinValue, System.Half.Epsilon], () => (Half)(float)(r.NextDouble() * 1000));

    public static Int128 Int128(Random r) => Pick(r, [System.Int128.MinValue, System.Int128.MaxValue, 0], () => new Int128((ulong)Long(r), (ulong)Long(r)));

    public static Guid Guid(Random r)
    {
        Span<byte> bytes = stackalloc byte[16];
        r.NextBytes(bytes);
        return Chance(r, 10) ? System.Guid.Empty : new Guid(bytes);
    }

    public static DateTime DateTime(Random r)
    {
        DateTimeKind kind = (DateTimeKind)r.Next(3);
        return Pick(r, [System.DateTime.MinValue, System.DateTime.MaxValue, System.DateTime.UnixEpoch],
            () => new DateTime(r.NextInt64(System.DateTime.MinValue.Ticks, System.DateTime.MaxValue.Ticks), kind));
    }

    public static TimeSpan TimeSpan(Random r) => Pick(r, [System.TimeSpan.MinValue, System.TimeSpan.MaxValue, System.TimeSpan.Zero], () => new TimeSpan(Long(r)));

    public static DateTimeOffset DateTimeOffset(Random r)
    {
        var offset = System.TimeSpan.FromMinutes(r.Next(-14 * 60, 14 * 60 + 1));
        long min = System.DateTime.MinValue.Ticks + System.TimeSpan.TicksPerDay;
        long max = System.DateTime.MaxValue.Ticks - System.TimeSpan.TicksPerDay;
        return new DateTimeOffset(r.NextInt64(min, max), offset);
    }

    public static DateOnly DateOnly(Random r) => System.DateOnly.FromDayNumber(r.Next(System.DateOnly.MaxValue.DayNumber + 1));

    public static TimeOnly TimeOnly(Random r) => new(r.NextInt64(System.TimeOnly.MaxValue.Ticks + 1));

    /// <summary>Null, empty, ASCII, multi-byte and surrogate-pair text (no lone surrogates: UTF-8 cannot carry them).</summary>
    public static string? Text(Random r)
    {
        int pick = r.Next(100);
        if (pick < 8)
        {
            return null;
        }
        if (pick < 60)
        {
            return s_texts[r.Next(s_texts.Length)];
        }
        var builder = new StringBuilder();
        int length = r.Next(40);
        for (int i = 0; i < length; i++)
        {
            switch (r.Next(4))
            {
                case 0:
                    builder.Append((char)r.Next(0x20, 0x7F));
                    break;
                case 1:
                    builder.Append((char)r.Next(0xA0, 0x800));
                    break;
                case 2:
                    builder.Append((char)r.Next(0x800, 0xD800));
                    break;
                default:
                    builder.Append(char.ConvertFromUtf32(r.Next(0x10000, 0x10FFFF)));
                    break;
            }
        }
        return builder.ToString();
    }

    public static string NonNullText(Random r) => Text(r) ?? "";

    /// <summary>A small count, sometimes zero, sometimes large.</summary>
    public static int Count(Random r) => Pick(r, [0, 1, 2], () => r.Next(Chance(r, 5) ? 300 : 12));

    public static T[]? Array<T>(Random r, Func<Random, T> item)
    {
        if (Chance(r, 10))
        {
            return null;
        }
        var result = new T[Count(r)];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = item(r);
        }
        return result;
    }

    public static List<T>? List<T>(Random r, Func<Random, T> item) => Array(r, item) is { } items ? new List<T>(items) : null;

    /// <summary>Distinct keys (dictionaries and sets reject duplicates).</summary>
    public static Dictionary<TKey, TValue>? Dictionary<TKey, TValue>(Random r, Func<Random, TKey> key, Func<Random, TValue> value)
        where TKey : notnull
    {
        if (Chance(r, 10))
        {
            return null;
        }
        var result = new Dictionary<TKey, TValue>();
        int count = Count(r);
        for (int i = 0; i < count; i++)
        {
            result.TryAdd(key(r), value(r));
        }
        return result;
    }

    private static T Pick<T>(Random r, T[] edges, Func<T> random) => Chance(r, 30) ? edges[r.Next(edges.Length)] : random();
}
