using System.Runtime.CompilerServices;

namespace Rpc.Serialization;

// Several raw values behind one bounds check: generated formatters batch runs of unmanaged members.
public ref partial struct RpcReader
{
    /// <summary>Reads 2 reference-free values from raw memory with one bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void DangerousReadUnmanaged<T1, T2>(out T1 value1, out T2 value2)
    {
        int size = Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>();
        ref byte source = ref GetSpanReference(size);
        int offset = 0;
        value1 = Unsafe.ReadUnaligned<T1>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T1>();
        value2 = Unsafe.ReadUnaligned<T2>(ref Unsafe.Add(ref source, offset));
        _position += size;
    }

    /// <summary>Reads 3 reference-free values from raw memory with one bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void DangerousReadUnmanaged<T1, T2, T3>(out T1 value1, out T2 value2, out T3 value3)
    {
        int size = Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>() + Unsafe.SizeOf<T3>();
        ref byte source = ref GetSpanReference(size);
        int offset = 0;
        value1 = Unsafe.ReadUnaligned<T1>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T1>();
        value2 = Unsafe.ReadUnaligned<T2>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T2>();
        value3 = Unsafe.ReadUnaligned<T3>(ref Unsafe.Add(ref source, offset));
        _position += size;
    }

    /// <summary>Reads 4 reference-free values from raw memory with one bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void DangerousReadUnmanaged<T1, T2, T3, T4>(out T1 value1, out T2 value2, out T3 value3, out T4 value4)
    {
        int size = Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>() + Unsafe.SizeOf<T3>() + Unsafe.SizeOf<T4>();
        ref byte source = ref GetSpanReference(size);
        int offset = 0;
        value1 = Unsafe.ReadUnaligned<T1>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T1>();
        value2 = Unsafe.ReadUnaligned<T2>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T2>();
        value3 = Unsafe.ReadUnaligned<T3>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T3>();
        value4 = Unsafe.ReadUnaligned<T4>(ref Unsafe.Add(ref source, offset));
        _position += size;
    }
}
