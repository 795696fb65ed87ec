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

    /// <summary>
    /// Writes a dictionary entry of reference-free key and value as a raw <c>KeyValuePair</c> (key, padding to the
    /// value's alignment, value, tail padding) from its parts, the padding zeroed: an entry is built on the stack,
    /// whose stale bytes a whole-struct copy would carry into the output.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteUnmanagedKeyValuePair<TKey, TValue>(in TKey key, in TValue value)
    {
        int size = Unsafe.SizeOf<System.Collections.Generic.KeyValuePair<TKey, TValue>>();
        ref byte destination = ref GetSpanReference(size);
        Unsafe.InitBlockUnaligned(ref destination, 0, (uint)size);
        Unsafe.WriteUnaligned(ref destination, key);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, KeyValuePairLayout<TKey, TValue>.ValueOffset), value);
        _buffered += size;
    }

    // Where KeyValuePair's value sits: a struct of the same two fields in the same (sequential) layout tells.
    private static class KeyValuePairLayout<TKey, TValue>
    {
        public static readonly int ValueOffset = Measure();

        private static int Measure()
        {
            Pair pair = default;
            return (int)Unsafe.ByteOffset(ref Unsafe.As<Pair, byte>(ref pair), ref Unsafe.As<TValue, byte>(ref pair.Value));
        }

        // Only measured, never written: CS0649 would say so.
#pragma warning disable CS0649
        private struct Pair
        {
            public TKey Key;
            public TValue Value;
        }
#pragma warning restore CS0649
    }

    /// <summary>
    /// A reference-free value as an element of a tuple, pair, set, queue, ... : a struct that may have padding
    /// (<c>Nullable&lt;long&gt;</c>, a <c>KeyValuePair&lt;short, int&gt;</c>, a user struct) goes out with its
    /// padding zeroed rather than as the pooled output buffer held it (found by the random shapes, seed 6).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteUnmanagedValue<T>(in T? value)
    {
        if (UnmanagedPadding<T>.Possible)
        {
            DangerousWriteUnmanagedZeroingPadding(value);
        }
        else
        {
            DangerousWriteUnmanaged(value);
        }
    }

    // Primitives, enums and single bytes have no padding; any other struct may (read once per type, a constant to
    // the optimizing JIT).
    private static class UnmanagedPadding<T>
    {
        public static readonly bool Possible = !(typeof(T).IsPrimitive || typeof(T).IsEnum || Unsafe.SizeOf<T>() == 1);
    }
}
