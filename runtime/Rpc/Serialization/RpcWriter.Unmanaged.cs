using System.Runtime.CompilerServices;

namespace Rpc.Serialization;

// Several raw values behind one capacity check: generated formatters batch runs of unmanaged members.
public ref partial struct RpcWriter
{
    /// <summary>Writes 2 reference-free values as raw memory with one capacity check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void DangerousWriteUnmanaged<T1, T2>(in T1? value1, in T2? value2)
    {
        int size = Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>();
        ref byte destination = ref GetSpanReference(size);
        int offset = 0;
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, offset), value1);
        offset += Unsafe.SizeOf<T1>();
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, offset), value2);
        _buffered += size;
    }

    /// <summary>Writes 3 reference-free values as raw memory with one capacity check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void DangerousWriteUnmanaged<T1, T2, T3>(in T1? value1, in T2? value2, in T3? value3)
    {
        int size = Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>() + Unsafe.SizeOf<T3>();
        ref byte destination = ref GetSpanReference(size);
        int offset = 0;
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, offset), value1);
        offset += Unsafe.SizeOf<T1>();
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, offset), value2);
        offset += Unsafe.SizeOf<T2>();
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, offset), value3);
        _buffered += size;
    }

    /// <summary>Writes 4 reference-free values as raw memory with one capacity check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void DangerousWriteUnmanaged<T1, T2, T3, T4>(in T1? value1, in T2? value2, in T3? value3, in T4? value4)
    {
        int size = Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>() + Unsafe.SizeOf<T3>() + Unsafe.SizeOf<T4>();
        ref byte destination = ref GetSpanReference(size);
        int offset = 0;
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, offset), value1);
        offset += Unsafe.SizeOf<T1>();
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, offset), value2);
        offset += Unsafe.SizeOf<T2>();
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, offset), value3);
        offset += Unsafe.SizeOf<T3>();
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, offset), value4);
        _buffered += size;
    }
}
