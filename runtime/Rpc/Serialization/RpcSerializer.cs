using System;
using System.Buffers;
using System.Runtime.CompilerServices;

namespace Rpc.Serialization;

/// <summary>Serializes values in the MemoryPack wire format with the formatters the generator emitted.</summary>
public static class RpcSerializer
{
    [ThreadStatic]
    private static PooledBufferWriter? t_scratch;

    /// <summary>Serializes <paramref name="value"/> into a new array.</summary>
    public static byte[] Serialize<T>(in T? value, RpcSerializerOptions? options = null)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            byte[] raw = new byte[Unsafe.SizeOf<T>()]; // zeroed: padding bytes a field-wise copy skips stay zero
            Unsafe.WriteUnaligned(ref raw[0], value);
            if (typeof(T) == typeof(DateTimeOffset))
            {
                RpcWriter.ClearDateTimeOffsetPadding(ref raw[0]);
            }
            return raw;
        }

        PooledBufferWriter scratch = t_scratch ?? new PooledBufferWriter();
        t_scratch = null; // a formatter that serializes re-entrantly gets a fresh scratch buffer
        try
        {
            var writer = new RpcWriter(scratch, options);
            writer.WriteValue(value);
            writer.Flush();
            return scratch.WrittenSpan.ToArray();
        }
        finally
        {
            scratch.Reset();
            t_scratch = scratch;
        }
    }

    /// <summary>Serializes <paramref name="value"/> into <paramref name="destination"/>.</summary>
    public static void Serialize<T>(IBufferWriter<byte> destination, in T? value, RpcSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        // The writer starts on the destination's free space: a value that fits needs no further call to it before
        // the final Advance.
        var writer = new RpcWriter(destination, destination.GetSpan(), options ?? RpcSerializerOptions.Default);
        writer.WriteValue(value);
        writer.Flush();
    }

    /// <summary>Deserializes a value from <paramref name="bytes"/>.</summary>
    public static T? Deserialize<T>(ReadOnlySpan<byte> bytes, RpcSerializerOptions? options = null)
    {
        var reader = new RpcReader(bytes, options);
        return reader.ReadValue<T>();
    }

    /// <summary>Deserializes a value from <paramref name="bytes"/>, which may span several segments.</summary>
    public static T? Deserialize<T>(in ReadOnlySequence<byte> bytes, RpcSerializerOptions? options = null)
    {
        if (bytes.IsSingleSegment)
        {
            return Deserialize<T>(bytes.FirstSpan, options);
        }
        if (bytes.Length > int.MaxValue)
        {
            throw new RpcSerializationException("The payload is larger than 2 GiB.");
        }

        // Readers work on one contiguous span: a split payload is gathered into a pooled buffer first.
        int length = (int)bytes.Length;
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            bytes.CopyTo(rented);
            return Deserialize<T>(rented.AsSpan(0, length), options);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
