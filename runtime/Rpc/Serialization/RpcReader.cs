using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using System.Buffers;

namespace Rpc.Serialization;

/// <summary>
/// Reads the MemoryPack wire format from a contiguous span. Every length and count is checked against the bytes
/// that remain before anything is allocated, and nesting is bounded by <see cref="RpcSerializerOptions.MaxDepth"/>,
/// so hostile input ends in a <see cref="RpcSerializationException"/>, never a crash or an oversized allocation.
/// </summary>
public ref partial struct RpcReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly RpcSerializerOptions _options;
    // Copied from the options: read for every object of a graph, a field here is one load fewer.
    private readonly int _maxDepth;
    private int _position;
    private int _depth;
    private RpcReaderReferences? _references;

    /// <summary>Creates a reader over <paramref name="buffer"/>.</summary>
    public RpcReader(ReadOnlySpan<byte> buffer, RpcSerializerOptions? options = null)
    {
        _buffer = buffer;
        _options = options ?? RpcSerializerOptions.Default;
        _maxDepth = _options.MaxDepth;
        _position = 0;
        _depth = 0;
        _references = null;
    }

    /// <summary>The options in force.</summary>
    public readonly RpcSerializerOptions Options => _options;

    /// <summary>Bytes read so far.</summary>
    public readonly int Consumed => _position;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _buffer.Length - _position;

    /// <summary>Reference tracking for <c>GenerateType.CircularReference</c> types, created on first use.</summary>
    public RpcReaderReferences References => _references ??= new RpcReaderReferences();

    /// <summary>Returns a reference to the next <paramref name="size"/> bytes, throwing if fewer remain; follow with <see cref="Advance"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ref byte GetSpanReference(int size)
    {
        if ((uint)size > (uint)(_buffer.Length - _position))
        {
            ThrowTruncated(size);
        }
        return ref Unsafe.Add(ref MemoryMarshal.GetReference(_buffer), _position);
    }

    /// <summary>Moves past <paramref name="count"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance(int count)
    {
        if ((uint)count > (uint)(_buffer.Length - _position))
        {
            ThrowTruncated(count);
        }
        _position += count;
    }

    /// <summary>Returns the next <paramref name="count"/> bytes and moves past them.</summary>
    public ReadOnlySpan<byte> ReadRawBytes(int count)
    {
        ref byte source = ref GetSpanReference(count);
        _position += count;
        return MemoryMarshal.CreateReadOnlySpan(ref source, count);
    }

    private readonly void ThrowTruncated(int size) =>
        throw new RpcSerializationException($"The payload is truncated: {size} bytes were needed at offset {_position} but {_buffer.Length - _position} remain.");

    // ---- unmanaged values ----

    /// <summary>Reads an unmanaged value from its raw little-endian memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T ReadUnmanaged<T>() where T : unmanaged => DangerousReadUnmanaged<T>();

    /// <summary>Reads a reference-free value from raw memory. The caller guarantees the type holds no references.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T DangerousReadUnmanaged<T>()
    {
        int size = Unsafe.SizeOf<T>();
        T value = Unsafe.ReadUnaligned<T>(ref GetSpanReference(size));
        _position += size;
        return value;
    }

    /// <summary>Reads an int32 count and a raw block of unmanaged values; null when the count is -1.</summary>
    public T[]? ReadUnmanagedArray<T>() where T : unmanaged => DangerousReadUnmanagedArray<T>();

    /// <summary>Reads an int32 count and a raw block of reference-free values; null when the count is -1.</summary>
    public T[]? DangerousReadUnmanagedArray<T>()
    {
        if (!TryReadCollectionHeader(out int length, Unsafe.SizeOf<T>()))
        {
            return null;
        }
        if (length == 0)
        {
            return Array.Empty<T>();
        }
        T[] result = GC.AllocateUninitializedArray<T>(length);
        int byteCount = length * Unsafe.SizeOf<T>();
        ref byte source = ref GetSpanReference(byteCount);
        Unsafe.CopyBlockUnaligned(ref Unsafe.As<T, byte>(ref MemoryMarshal.GetArrayDataReference(result)), ref source, (uint)byteCount);
        _position += byteCount;
        return result;
    }

    /// <summary>Copies a raw block of <paramref name="destination"/>.Length reference-free values (no header).</summary>
    public void DangerousReadUnmanagedSpan<T>(Span<T> destination)
    {
        int byteCount = checked(destination.Length * Unsafe.SizeOf<T>());
        ref byte source = ref GetSpanReference(byteCount);
        Unsafe.CopyBlockUnaligned(ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(destination)), ref source, (uint)byteCount);
        _position += byteCount;
    }

    // ---- headers ----

    /// <summary>Reads an object header. False for null (<c>0xFF</c>); throws on a reserved marker (250-254).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadObjectHeader(out byte memberCount)
    {
        memberCount = GetSpanReference(1);
        _position += 1;
        if (memberCount <= RpcWireCodes.MaxMemberCount)
        {
            return true;
        }
        if (memberCount == RpcWireCodes.NullObject)
        {
            return false;
        }
        throw new RpcSerializationException($"Invalid object header {memberCount} at offset {_position - 1}.");
    }

    /// <summary>Reads the first byte of a circular-reference object: a member count, null, or a reference marker.</summary>
    public byte ReadObjectHeaderByte()
    {
        byte value = GetSpanReference(1);
        _position += 1;
        return value;
    }

    /// <summary>
    /// Reads a collection header. False for null (-1). The count is checked so that
    /// <c>count * minimumElementSize</c> bytes remain; pass 1 for elements that take at least one byte each, and 0
    /// only when elements can be empty (then the caller must bound the count itself).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadCollectionHeader(out int length, int minimumElementSize = 1)
    {
        length = Unsafe.ReadUnaligned<int>(ref GetSpanReference(4));
        _position += 4;
        if (length == RpcWireCodes.NullCollection)
        {
            return false;
        }
        if (length < 0 || (long)length * minimumElementSize > _buffer.Length - _position)
        {
            ThrowInvalidLength(length, minimumElementSize);
        }
        return true;
    }

    private readonly void ThrowInvalidLength(int length, int minimumElementSize) =>
        throw new RpcSerializationException($"Invalid collection length {length} at offset {_position - 4}: {_buffer.Length - _position} bytes remain for elements of at least {minimumElementSize} bytes.");

    /// <summary>Reads a union header. False for null; the tag is a byte below 250 or a ushort after <c>0xFA</c>.</summary>
    public bool TryReadUnionHeader(out ushort tag)
    {
        byte first = GetSpanReference(1);
        _position += 1;
        if (first < RpcWireCodes.WideTag)
        {
            tag = first;
            return true;
        }
        if (first == RpcWireCodes.WideTag)
        {
            tag = ReadUnmanaged<ushort>();
            return true;
        }
        if (first == RpcWireCodes.NullObject)
        {
            tag = 0;
            return false;
        }
        throw new RpcSerializationException($"Invalid union header {first} at offset {_position - 1}.");
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

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDepthExceeded(int maxDepth) =>
        throw new RpcSerializationException($"The payload nests deeper than MaxDepth ({maxDepth}).");

    // ---- values ----

    /// <summary>Reads a value with its formatter; reference-free types are read raw without a lookup.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T? ReadValue<T>()
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            return DangerousReadUnmanaged<T>();
        }
        return RpcFormatterProvider.GetFormatter<T>().Deserialize(ref this);
    }

    /// <summary>
    /// <see cref="ReadValue{T}()"/> with the formatter that <paramref name="formatters"/> keeps, for callers in code
    /// shared by all reference types (see <see cref="RpcFormatterCache{T}"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal T? ReadValue<T>(RpcFormatterCache<T> formatters)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            return DangerousReadUnmanaged<T>();
        }
        return formatters.Get().Deserialize(ref this);
    }

    /// <summary>Reads a value with the given formatter.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T? ReadValueWithFormatter<T>(RpcFormatter<T> formatter) => formatter.Deserialize(ref this);

    // ---- strings ----

    /// <summary>Reads a string written as UTF-8 or UTF-16 (the header tells which).</summary>
    public string? ReadString()
    {
        int header = Unsafe.ReadUnaligned<int>(ref GetSpanReference(4));
        _position += 4;
        if (header == RpcWireCodes.NullCollection)
        {
            return null;
        }
        if (header == 0)
        {
            return string.Empty;
        }
        return header > 0 ? ReadUtf16Body(header) : ReadUtf8Body(~header);
    }

    private string ReadUtf16Body(int charCount)
    {
        if ((long)charCount * 2 > Remaining)
        {
            ThrowInvalidLength(charCount, 2);
        }
        ref byte source = ref GetSpanReference(charCount * 2);
        string value = new string(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<byte, char>(ref source), charCount));
        _position += charCount * 2;
        return value;
    }

    private string ReadUtf8Body(int byteCount)
    {
        int utf16Length = Unsafe.ReadUnaligned<int>(ref GetSpanReference(4));
        _position += 4;
        // Every UTF-16 code unit takes at least one UTF-8 byte, so a larger length is a lie.
        if (byteCount > Remaining || utf16Length <= 0 || utf16Length > byteCount)
        {
            ThrowInvalidUtf8Header(byteCount, utf16Length);
        }
        // The header gives the length, so the string is allocated at once and decoded in one pass (no counting pass
        // first). Invalid sequences decode to U+FFFD, as MemoryPack's reader does; a length that disagrees is a lie.
        int decoded;
        string value = DecodeUtf8(ref GetSpanReference(byteCount), byteCount, utf16Length, out decoded);
        if (decoded != utf16Length)
        {
            ThrowInvalidUtf8(decoded, utf16Length);
        }
        _position += byteCount;
        return value;
    }

    // Out of line, as every throw of this reader: the messages' formatting code stays out of the string path.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowInvalidUtf8Header(int byteCount, int utf16Length) =>
        throw new RpcSerializationException($"Invalid UTF-8 string header at offset {_position - 8}: {byteCount} bytes, {utf16Length} chars, {Remaining} bytes remain.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowInvalidUtf8(int decoded, int utf16Length) =>
        throw new RpcSerializationException($"Invalid UTF-8 string at offset {_position - 8}: it decodes to {(decoded < 0 ? "more than " + utf16Length : decoded)} chars, the header says {utf16Length}.");

    // Decodes into a new string of exactly utf16Length chars; decoded is how many chars the bytes made, or -1 when
    // they make more than that.
    private static unsafe string DecodeUtf8(ref byte source, int byteCount, int utf16Length, out int decoded)
    {
        int result;
        string value;
        fixed (byte* bytes = &source)
        {
            value = string.Create(utf16Length, ((IntPtr)bytes, byteCount, (IntPtr)(&result)), static (chars, state) =>
            {
                var utf8 = new ReadOnlySpan<byte>((byte*)state.Item1, state.Item2);
                OperationStatus status = Utf8.ToUtf16(utf8, chars, out _, out int written, replaceInvalidSequences: true);
                *(int*)state.Item3 = status == OperationStatus.Done ? written : -1;
            });
        }
        decoded = result;
        return value;
    }

    // ---- varints ----

    /// <summary>Reads a varint in MemoryPack's encoding as a long.</summary>
    public long ReadVarIntInt64()
    {
        sbyte code = ReadUnmanaged<sbyte>();
        return code switch
        {
            RpcWireCodes.VarIntByte => ReadUnmanaged<byte>(),
            RpcWireCodes.VarIntSByte => ReadUnmanaged<sbyte>(),
            RpcWireCodes.VarIntUInt16 => ReadUnmanaged<ushort>(),
            RpcWireCodes.VarIntInt16 => ReadUnmanaged<short>(),
            RpcWireCodes.VarIntUInt32 => ReadUnmanaged<uint>(),
            RpcWireCodes.VarIntInt32 => ReadUnmanaged<int>(),
            RpcWireCodes.VarIntUInt64 => CheckedToInt64(ReadUnmanaged<ulong>()),
            RpcWireCodes.VarIntInt64 => ReadUnmanaged<long>(),
            _ => code,
        };
    }

    /// <summary>Reads a varint that must fit an int32.</summary>
    public int ReadVarIntInt32()
    {
        long value = ReadVarIntInt64();
        if (value is < int.MinValue or > int.MaxValue)
        {
            throw new RpcSerializationException($"A varint of {value} does not fit an int32.");
        }
        return (int)value;
    }

    /// <summary>Reads a varint that must fit a uint32.</summary>
    public uint ReadVarIntUInt32()
    {
        long value = ReadVarIntInt64();
        if (value is < 0 or > uint.MaxValue)
        {
            throw new RpcSerializationException($"A varint of {value} does not fit a uint32.");
        }
        return (uint)value;
    }

    private static long CheckedToInt64(ulong value) =>
        value > long.MaxValue ? throw new RpcSerializationException($"A varint of {value} does not fit an int64.") : (long)value;
}
