using System;
using System.Runtime.CompilerServices;

namespace Rpc.Serialization;

/// <summary>
/// Which bytes of a raw <see cref="DateTimeOffset"/> are padding. Its layout is <c>Auto</c> (on .NET 10: int32
/// offset minutes, 4 padding bytes, then the UTC date-time), so the field bytes are measured once, by comparing two
/// values that differ in every field byte, rather than assumed.
/// </summary>
internal static class DateTimeOffsetPadding
{
    /// <summary>Masks that keep the field bytes and clear the padding, for bytes 0-7 and 8-15.</summary>
    public static readonly ulong Low;

    /// <inheritdoc cref="Low"/>
    public static readonly ulong High;

    /// <summary>False when the layout is not the expected 16 bytes: then nothing is masked.</summary>
    public static readonly bool IsKnown;

    static DateTimeOffsetPadding()
    {
        Low = ulong.MaxValue;
        High = ulong.MaxValue;
        if (Unsafe.SizeOf<DateTimeOffset>() != 16)
        {
            return;
        }
        // Every byte of the date-time differs (0x11 against 0x22), and so does every byte of the offset (-1 against +1 minute).
        DateTimeOffset first = new DateTimeOffset(0x1111111111111111, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(-1));
        DateTimeOffset second = new DateTimeOffset(0x2222222222222222, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(1));
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        a.Clear();
        b.Clear();
        Unsafe.WriteUnaligned(ref a[0], first);
        Unsafe.WriteUnaligned(ref b[0], second);
        ulong low = 0;
        ulong high = 0;
        for (int i = 0; i < 8; i++)
        {
            if (a[i] != b[i])
            {
                low |= 0xFFUL << (8 * i);
            }
            if (a[i + 8] != b[i + 8])
            {
                high |= 0xFFUL << (8 * i);
            }
        }
        Low = low;
        High = high;
        IsKnown = true;
    }
}
