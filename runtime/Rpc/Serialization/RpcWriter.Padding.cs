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
        _buffered += size;
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
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, size - Unsafe.SizeOf<T>()), value.GetValueOrDefault());
        }
        _buffered += size;
    }
}
