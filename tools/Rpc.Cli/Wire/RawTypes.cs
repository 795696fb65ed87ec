using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Rpc.Serialization;

namespace Rpc.Cli.Wire;

/// <summary>
/// A type that holds no references: on the wire, its bytes as they lie in memory (little-endian, padding zeroed),
/// which is how the runtime writes primitives, enums and <c>Nullable&lt;T&gt;</c> of them.
/// </summary>
internal abstract class RawType : WireType
{
    protected RawType(string name, int size, int alignment)
        : base(name)
    {
        Size = size;
        Alignment = alignment;
    }

    public int Size { get; }

    public int Alignment { get; }

    public abstract void Encode(JsonElement value, Span<byte> destination, string path);

    public abstract void Decode(ReadOnlySpan<byte> source, Utf8JsonWriter json);

    public override void Write(ref RpcWriter writer, JsonElement value, string path)
    {
        // A heap buffer: RpcWriter is a ref struct that may not hold on to a stack span of this frame.
        var bytes = new byte[Size];
        Encode(value, bytes, path);
        writer.WriteRawBytes(bytes);
    }

    public override void WriteDefault(ref RpcWriter writer)
    {
        // A heap buffer: RpcWriter is a ref struct that may not hold on to a stack span of this frame.
        var bytes = new byte[Size];
        writer.WriteRawBytes(bytes);
    }

    public override void Read(ref RpcReader reader, Utf8JsonWriter json) => Decode(reader.ReadRawBytes(Size), json);
}

/// <summary>A primitive or framework struct, copied with <see cref="MemoryMarshal"/> exactly as the runtime copies it.</summary>
internal sealed class PrimitiveType<T> : RawType where T : unmanaged
{
    private readonly Func<JsonElement, T?> _parse;
    private readonly Action<Utf8JsonWriter, T> _print;
    private readonly string _expected;

    public PrimitiveType(string name, int alignment, string expected, Func<JsonElement, T?> parse, Action<Utf8JsonWriter, T> print)
        : base(name, Unsafe.SizeOf<T>(), alignment)
    {
        _expected = expected;
        _parse = parse;
        _print = print;
    }

    public override void Encode(JsonElement value, Span<byte> destination, string path)
    {
        T parsed = _parse(value) ?? throw Mismatch(value, path, _expected);
        MemoryMarshal.Write(destination, in parsed);
    }

    public override void Decode(ReadOnlySpan<byte> source, Utf8JsonWriter json) => _print(json, MemoryMarshal.Read<T>(source));
}

/// <summary><c>T?</c> of a raw type: a has-value byte, padding, then the value, as <c>Nullable&lt;T&gt;</c> lies in memory.</summary>
internal sealed class NullableRawType : RawType
{
    private readonly RawType _value;

    public NullableRawType(RawType value)
        : base(value.Name + "?", RoundUp(value.Alignment + value.Size, value.Alignment), value.Alignment) => _value = value;

    public override void Encode(JsonElement value, Span<byte> destination, string path)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }
        destination[0] = 1;
        _value.Encode(value, destination.Slice(_value.Alignment, _value.Size), path);
    }

    public override void Decode(ReadOnlySpan<byte> source, Utf8JsonWriter json)
    {
        if (source[0] == 0)
        {
            json.WriteNullValue();
            return;
        }
        _value.Decode(source.Slice(_value.Alignment, _value.Size), json);
    }

    internal static int RoundUp(int value, int alignment) => (value + alignment - 1) / alignment * alignment;
}

/// <summary>An enum: its underlying integer. JSON may name a value (any case) or give the number.</summary>
internal sealed class EnumType : RawType
{
    private readonly RawType _underlying;
    private readonly List<(string Name, long Value)> _values;

    public EnumType(string name, RawType underlying, List<(string Name, long Value)> values)
        : base(name, underlying.Size, underlying.Alignment)
    {
        _underlying = underlying;
        _values = values;
    }

    public override void Encode(JsonElement value, Span<byte> destination, string path)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            string text = value.GetString()!;
            foreach ((string name, long number) in _values)
            {
                if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
                {
                    using JsonDocument literal = JsonDocument.Parse(number.ToString(CultureInfo.InvariantCulture));
                    _underlying.Encode(literal.RootElement, destination, path);
                    return;
                }
            }
            throw new CliException($"{path}: '{text}' is not a value of {Name}; it has {string.Join(", ", _values.ConvertAll(v => v.Name))}.");
        }
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw Mismatch(value, path, "a value name or a number");
        }
        _underlying.Encode(value, destination, path);
    }

    public override void Decode(ReadOnlySpan<byte> source, Utf8JsonWriter json)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var number = new Utf8JsonWriter(buffer))
        {
            _underlying.Decode(source, number);
        }
        using JsonDocument parsed = JsonDocument.Parse(buffer.WrittenMemory);
        long value = parsed.RootElement.TryGetInt64(out long signed) ? signed : unchecked((long)parsed.RootElement.GetUInt64());
        foreach ((string name, long number) in _values)
        {
            if (number == value)
            {
                json.WriteStringValue(name);
                return;
            }
        }
        parsed.RootElement.WriteTo(json);
    }
}
