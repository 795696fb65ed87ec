using System;
using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Unicode;

namespace Rpc.Serialization;

/// <summary>
/// Writes the MemoryPack wire format into an <see cref="IBufferWriter{T}"/>. A stack-only struct: it caches the
/// current span of the output, so small writes cost a bounds check and a store. Call <see cref="Flush"/> once at
/// the end to commit what was written to the output.
/// </summary>
public ref partial struct RpcWriter
{
    private const int MinimumBufferSize = 256;

    private readonly IBufferWriter<byte> _output;
    private readonly RpcSerializerOptions _options;
    // Copied from the options: read for every object and string of a graph, a field here is one load fewer.
    private readonly int _maxDepth;
    private readonly bool _utf16;
    private Span<byte> _buffer;
    private int _buffered;
    private int _flushed;
    private int _depth;
    private RpcWriterReferences? _references;

    /// <summary>Creates a writer over <paramref name="output"/>.</summary>
    public RpcWriter(IBufferWriter<byte> output, RpcSerializerOptions? options = null)
        : this(output ?? throw new ArgumentNullException(nameof(output)), default, options ?? RpcSerializerOptions.Default)
    {
    }

    /// <summary>
    /// Creates a writer that starts on <paramref name="initialBuffer"/>, the span <paramref name="output"/> gave for
    /// its next bytes: the first write then needs no call to the output.
    /// </summary>
    internal RpcWriter(IBufferWriter<byte> output, Span<byte> initialBuffer, RpcSerializerOptions options)
    {
        _output = output;
        _options = options;
        _maxDepth = options.MaxDepth;
        _utf16 = options.StringEncoding == RpcStringEncoding.Utf16;
        _buffer = initialBuffer;
        _buffered = 0;
        _flushed = 0;
        _depth = 0;
        _references = null;
    }

    /// <summary>The options in force.</summary>
    public readonly RpcSerializerOptions Options => _options;

    /// <summary>Bytes written so far, flushed or not.</summary>
    public readonly int WrittenCount => _flushed + _buffered;

    /// <summary>Returns a reference to at least <paramref name="sizeHint"/> writable bytes; follow with <see cref="Advance"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref byte GetSpanReference(int sizeHint)
    {
        if ((uint)(_buffer.Length - _buffered) < (uint)sizeHint)
        {
            Grow(sizeHint);
        }
        return ref Unsafe.Add(ref MemoryMarshal.GetReference(_buffer), _buffered);
    }

    /// <summary>Marks <paramref name="count"/> bytes obtained from <see cref="GetSpanReference"/> as written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance(int count) => _buffered += count;

    /// <summary>Commits everything written to the underlying buffer writer. Call once, when done.</summary>
    public void Flush()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _flushed += _buffered;
            _buffered = 0;
        }
        _buffer = default;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int sizeHint)
    {
        Flush();
        _buffer = _output.GetSpan(Math.Max(sizeHint, MinimumBufferSize));
        if (_buffer.Length < sizeHint)
        {
            ThrowOutputTooSmall(sizeHint);
        }
    }

    /// <summary>Thrown when an <see cref="IBufferWriter{T}"/> gives less than it was asked for; kept out of callers' frames.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOutputTooSmall(int sizeHint) =>
        throw new RpcSerializationException($"The output buffer could not provide {sizeHint} bytes.");

    // ---- unmanaged values ----

    /// <summary>Writes an unmanaged value as its raw little-endian memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUnmanaged<T>(in T value) where T : unmanaged => DangerousWriteUnmanaged(value);

    /// <summary>Writes any value whose type holds no references as raw memory. The caller guarantees that.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void DangerousWriteUnmanaged<T>(in T? value)
    {
        int size = Unsafe.SizeOf<T>();
        ref byte destination = ref GetSpanReference(size);
        Unsafe.WriteUnaligned(ref destination, value);
        if (typeof(T) == typeof(DateTimeOffset))
        {
            ClearDateTimeOffsetPadding(ref destination); // a constant test: other types pay nothing
        }
        _buffered += size;
    }

    /// <summary>Writes a span of unmanaged values as an int32 count and one raw block.</summary>
    public void WriteUnmanagedSpan<T>(ReadOnlySpan<T> values) where T : unmanaged => DangerousWriteUnmanagedSpan(values);

    /// <summary>Writes a span of reference-free values as an int32 count and one raw block.</summary>
    public void DangerousWriteUnmanagedSpan<T>(ReadOnlySpan<T> values)
    {
        int byteCount = checked(values.Length * Unsafe.SizeOf<T>());
        ref byte destination = ref GetSpanReference(checked(byteCount + 4));
        Unsafe.WriteUnaligned(ref destination, values.Length);
        RawBlockCopy.Copy(ref Unsafe.Add(ref destination, 4), ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(values)), byteCount);
        _buffered += byteCount + 4;
    }

    /// <summary>Writes raw bytes with no header.</summary>
    public void WriteRawBytes(ReadOnlySpan<byte> bytes)
    {
        ref byte destination = ref GetSpanReference(bytes.Length);
        bytes.CopyTo(MemoryMarshal.CreateSpan(ref destination, bytes.Length));
        _buffered += bytes.Length;
    }

    // ---- headers ----

    /// <summary>Writes an object header: the member count, 0 to 249.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteObjectHeader(byte memberCount)
    {
        GetSpanReference(1) = memberCount;
        _buffered += 1;
    }

    /// <summary>Writes the null object marker <c>0xFF</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteNullObjectHeader()
    {
        GetSpanReference(1) = RpcWireCodes.NullObject;
        _buffered += 1;
    }

    /// <summary>Writes a collection header: the int32 element count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteCollectionHeader(int length)
    {
        Unsafe.WriteUnaligned(ref GetSpanReference(4), length);
        _buffered += 4;
    }

    /// <summary>Writes the null collection marker, int32 -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteNullCollectionHeader() => WriteCollectionHeader(RpcWireCodes.NullCollection);

    /// <summary>Writes a union tag: one byte below 250, else <c>0xFA</c> and a ushort.</summary>
    public void WriteUnionHeader(ushort tag)
    {
        if (tag < RpcWireCodes.WideTag)
        {
            WriteObjectHeader((byte)tag);
        }
        else
        {
            ref byte destination = ref GetSpanReference(3);
            destination = RpcWireCodes.WideTag;
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, 1), tag);
            _buffered += 3;
        }
    }

    /// <summary>Writes a reference to an object already written (<c>0xFA</c> and a varint id).</summary>
    public void WriteObjectReferenceId(uint id)
    {
        WriteObjectHeader(RpcWireCodes.ReferenceId);
        WriteVarInt(id);
    }

    // ---- depth ----

    /// <summary>Enters one level of nesting; throws past <see cref="RpcSerializerOptions.MaxDepth"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnterDepth()
    {
        if (++_depth > _maxDepth)
        {
            ThrowDepthExceeded(_maxDepth);
        }
    }

    /// <summary>Leaves one level of nesting.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ExitDepth() => _depth--;

    private static void ThrowDepthExceeded(int maxDepth) =>
        throw new RpcSerializationException($"The object graph is nested deeper than MaxDepth ({maxDepth}); a cycle needs GenerateType.CircularReference.");

    /// <summary>Reference tracking for <c>GenerateType.CircularReference</c> types, created on first use.</summary>
    public RpcWriterReferences References => _references ??= new RpcWriterReferences();

    /// <summary>
    /// Creates a writer into <paramref name="output"/> that continues this one's nesting depth and shares its
    /// reference ids: version-tolerant formatters write members to scratch space to learn their lengths first.
    /// </summary>
    public RpcWriter CreateNestedWriter(IBufferWriter<byte> output)
    {
        var nested = new RpcWriter(output, _options);
        nested._depth = _depth;
        nested._references = _references ??= new RpcWriterReferences();
        return nested;
    }

    // ---- values ----

    /// <summary>Writes a value with its formatter; reference-free types are written raw without a lookup.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteValue<T>(in T? value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            WriteUnmanagedValue(value);
            return;
        }
        RpcFormatterProvider.GetFormatter<T>().Serialize(ref this, value);
    }

    /// <summary>
    /// <see cref="WriteValue{T}(in T)"/> with the formatter that <paramref name="formatters"/> keeps, for callers in
    /// code shared by all reference types (see <see cref="RpcFormatterCache{T}"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteValue<T>(in T? value, RpcFormatterCache<T> formatters)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            WriteUnmanagedValue(value);
            return;
        }
        formatters.Get().Serialize(ref this, value);
    }

    /// <summary>Writes a value with the given formatter.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteValueWithFormatter<T>(RpcFormatter<T> formatter, in T? value) => formatter.Serialize(ref this, value);

    // ---- strings ----

    /// <summary>Writes a string in the options' encoding (UTF-8 by default).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteString(string? value)
    {
        if (_utf16)
        {
            WriteUtf16String(value);
        }
        else
        {
            WriteUtf8String(value);
        }
    }

    /// <summary>Writes a string as UTF-16: int32 char count, then the chars.</summary>
    public void WriteUtf16String(string? value)
    {
        if (value is null)
        {
            WriteNullCollectionHeader();
            return;
        }
        int byteCount = checked(value.Length * 2);
        ref byte destination = ref GetSpanReference(byteCount + 4);
        Unsafe.WriteUnaligned(ref destination, value.Length);
        MemoryMarshal.AsBytes(value.AsSpan()).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref destination, 4), byteCount));
        _buffered += byteCount + 4;
    }

    /// <summary>Writes a string as UTF-8: int32 <c>~byteCount</c>, int32 UTF-16 length, then the bytes.</summary>
    public void WriteUtf8String(string? value)
    {
        if (value is null)
        {
            WriteNullCollectionHeader();
            return;
        }
        if (value.Length == 0)
        {
            WriteCollectionHeader(0);
            return;
        }
        int maxByteCount = checked(value.Length * 3);
        ref byte destination = ref GetSpanReference(maxByteCount + 8);
        Span<byte> target = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref destination, 8), maxByteCount);
        OperationStatus status = Utf8.FromUtf16(value, target, out _, out int bytesWritten, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            ThrowUtf8EncodingFailed(status);
        }
        Unsafe.WriteUnaligned(ref destination, ~bytesWritten);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, 4), value.Length);
        _buffered += bytesWritten + 8;
    }

    // Out of line: the message's formatting code would otherwise sit in the string path of every member.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowUtf8EncodingFailed(OperationStatus status) =>
        throw new RpcSerializationException($"Failed to encode a string as UTF-8 (status {status}); it holds an unpaired surrogate. Use UTF-16 to carry it.");

    // ---- varints (MemoryPack's codes) ----

    /// <summary>Writes a signed varint in MemoryPack's encoding.</summary>
    public void WriteVarInt(long value)
    {
        if (value >= 0)
        {
            if (value <= RpcWireCodes.VarIntMaxSingleValue)
            {
                WriteUnmanaged((sbyte)value);
            }
            else if (value <= short.MaxValue)
            {
                WriteUnmanaged(RpcWireCodes.VarIntInt16);
                WriteUnmanaged((short)value);
            }
            else if (value <= int.MaxValue)
            {
                WriteUnmanaged(RpcWireCodes.VarIntInt32);
                WriteUnmanaged((int)value);
            }
            else
            {
                WriteUnmanaged(RpcWireCodes.VarIntInt64);
                WriteUnmanaged(value);
            }
        }
        else if (value >= RpcWireCodes.VarIntMinSingleValue)
        {
            WriteUnmanaged((sbyte)value);
        }
        else if (value >= sbyte.MinValue)
        {
            WriteUnmanaged(RpcWireCodes.VarIntSByte);
            WriteUnmanaged((sbyte)value);
        }
        else if (value >= short.MinValue)
        {
            WriteUnmanaged(RpcWireCodes.VarIntInt16);
            WriteUnmanaged((short)value);
        }
        else if (value >= int.MinValue)
        {
            WriteUnmanaged(RpcWireCodes.VarIntInt32);
            WriteUnmanaged((int)value);
        }
        else
        {
            WriteUnmanaged(RpcWireCodes.VarIntInt64);
            WriteUnmanaged(value);
        }
    }

    /// <summary>Writes an unsigned varint in MemoryPack's encoding.</summary>
    public void WriteVarInt(uint value)
    {
        if (value <= RpcWireCodes.VarIntMaxSingleValue)
        {
            WriteUnmanaged((sbyte)value);
        }
        else if (value <= ushort.MaxValue)
        {
            WriteUnmanaged(RpcWireCodes.VarIntUInt16);
            WriteUnmanaged((ushort)value);
        }
        else
        {
            WriteUnmanaged(RpcWireCodes.VarIntUInt32);
            WriteUnmanaged(value);
        }
    }
}
