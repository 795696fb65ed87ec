using System;
using System.Runtime.CompilerServices;

namespace Rpc.Serialization;

// Raw copies of structs with padding (Nullable<T>, DateTimeOffset, user structs): a plain copy may leave the padding
// bytes of the destination as the buffer held them (the JIT can store a struct field by field), so the same value
// could go out as different bytes. Zeroing the destination first makes the output deterministic.
public ref partial struct RpcWriter
{
    /// <summary>
    /// Writes a reference-free value as raw memory with its padding bytes zeroed, whatever the output buffer held
    /// before. The caller guarantees that the type holds no references.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void DangerousWriteUnmanagedZeroingPadding<T>(in T? value)
    {
        int size = Unsafe.SizeOf<T>();
        ref byte destination = ref GetSpanReference(size);
        Unsafe.InitBlockUnaligned(ref destination, 0, (uint)size);
        Unsafe.WriteUnaligned(ref destination, value);
        if (typeof(T) == typeof(DateTimeOffset))
        {
            // The value's own padding may hold other bytes (a value read from such a payload): clear it.
            ClearDateTimeOffsetPadding(ref destination);
        }
        _buffered += size;
    }

    /// <summary>Writes a <see cref="DateTimeOffset"/> as its raw 16 bytes with the padding bytes zeroed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteDateTimeOffset(in DateTimeOffset value) => DangerousWriteUnmanagedZeroingPadding(value);

    /// <summary>Zeroes the padding bytes of a raw <see cref="DateTimeOffset"/> at <paramref name="destination"/>.</summary>
    internal static void ClearDateTimeOffsetPadding(ref byte destination)
    {
        if (!DateTimeOffsetPadding.IsKnown)
        {
            return;
        }
        Unsafe.WriteUnaligned(ref destination, Unsafe.ReadUnaligned<ulong>(ref destination) & DateTimeOffsetPadding.Low);
        ref byte high = ref Unsafe.Add(ref destination, 8);
        Unsafe.WriteUnaligned(ref high, Unsafe.ReadUnaligned<ulong>(ref high) & DateTimeOffsetPadding.High);
    }

    /// <summary>
    /// Writes a <c>Nullable&lt;T&gt;</c> of an unmanaged <typeparamref name="T"/> in its raw layout (the has-value
    /// byte, padding to T's alignment, then T) from its parts, so the padding is zero even when the value's own
    /// memory held other bytes (a value read from a payload whose padding was not zero).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUnmanagedNullable<T>(in T? value) where T : unmanaged
    {
        // Nullable<T> is { bool hasValue; T value; } in sequential layout: T sits at the end.
        int size = Unsafe.SizeOf<T?>();
        ref byte destination = ref GetSpanReference(size);
        Unsafe.InitBlockUnaligned(ref destination, 0, (uint)size);
        if (value.HasValue)
        {
            destination = 1;
            ref byte item = ref Unsafe.Add(ref destination, size - Unsafe.SizeOf<T>());
            Unsafe.WriteUnaligned(ref item, value.GetValueOrDefault());
            if (typeof(T) == typeof(DateTimeOffset))
            {
                ClearDateTimeOffsetPadding(ref item);
            }
        }
        _buffered += size;
    }
}
