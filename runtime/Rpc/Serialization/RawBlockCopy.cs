using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Rpc.Serialization;

/// <summary>
/// Copies a raw block of unmanaged values into the output. The wire puts a block after its 4-byte count, so the
/// destination is rarely aligned; the C library's memmove copies such mid-sized blocks with <c>rep movsb</c>, which
/// slows down on a misaligned destination. For those sizes this copy stores whole aligned vectors instead
/// (for 16 KB, 0.90x of memmove's time on this project's machine; bench/README.md), and hands every
/// other size to memmove.
/// </summary>
internal static class RawBlockCopy
{
    // Below this, memmove's own vector code is as good; above it, memmove's non-temporal stores keep huge blocks out
    // of the cache, which a plain vector loop would not.
    private const int MinimumLength = 1024;
    private const int MaximumLength = 256 * 1024;

    /// <summary>Copies <paramref name="length"/> bytes, as memmove would (overlapping blocks included).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(ref byte destination, ref byte source, int length)
    {
        if (length >= MinimumLength && length <= MaximumLength && Vector256.IsHardwareAccelerated && !Overlap(ref destination, ref source, length))
        {
            CopyAligned(ref destination, ref source, (nuint)length);
            return;
        }
        Unsafe.CopyBlockUnaligned(ref destination, ref source, (uint)length);
    }

    // A caller's span may alias the output (nothing stops a user from serializing part of the buffer being written
    // to): the forward vector loop would then read bytes it already overwrote, so such blocks go to memmove.
    private static bool Overlap(ref byte destination, ref byte source, int length) =>
        (nuint)(Unsafe.ByteOffset(ref source, ref destination) + length) < (nuint)(2 * (nint)length);

    private static unsafe void CopyAligned(ref byte destination, ref byte source, nuint length)
    {
        // Two unaligned vectors cover the head; from there every store lands on a 64-byte boundary, whole cache
        // lines at a time. (A compacting GC may move a managed destination mid-copy: that costs alignment, not
        // correctness.)
        Vector256.LoadUnsafe(ref source).StoreUnsafe(ref destination);
        Vector256.LoadUnsafe(ref source, 32).StoreUnsafe(ref destination, 32);
        nuint offset = 64 - ((nuint)Unsafe.AsPointer(ref destination) & 63);
        nuint lastLine = length - 128;
        while (offset <= lastLine)
        {
            Vector256<byte> a = Vector256.LoadUnsafe(ref source, offset);
            Vector256<byte> b = Vector256.LoadUnsafe(ref source, offset + 32);
            Vector256<byte> c = Vector256.LoadUnsafe(ref source, offset + 64);
            Vector256<byte> d = Vector256.LoadUnsafe(ref source, offset + 96);
            a.StoreUnsafe(ref destination, offset);
            b.StoreUnsafe(ref destination, offset + 32);
            c.StoreUnsafe(ref destination, offset + 64);
            d.StoreUnsafe(ref destination, offset + 96);
            offset += 128;
        }
        while (offset + 32 <= length)
        {
            Vector256.LoadUnsafe(ref source, offset).StoreUnsafe(ref destination, offset);
            offset += 32;
        }
        // The last vector ends exactly at the block's end (it may overlap bytes already written).
        Vector256.LoadUnsafe(ref source, length - 32).StoreUnsafe(ref destination, length - 32);
    }
}
