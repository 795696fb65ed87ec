using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text.Json;
using Rpc.Serialization;

namespace Rpc.Cli.Wire;

/// <summary><c>string</c>: in the options' encoding, or the member's <c>utf8</c>/<c>utf16</c>.</summary>
internal sealed class StringType : WireType
{
    private readonly string? _encoding;

    public StringType(string? encoding)
        : base("string") => _encoding = encoding;

    public override void Write(ref RpcWriter writer, JsonElement value, string path)
    {
        if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
        {
            throw Mismatch(value, path, "a string or null");
        }
        string? text = value.GetString();
        switch (_encoding)
        {
            case "utf8": writer.WriteUtf8String(text); break;
            case "utf16": writer.WriteUtf16String(text); break;
            default: writer.WriteString(text); break;
        }
    }

    public override void WriteDefault(ref RpcWriter writer) => writer.WriteString(null);

    public override void Read(ref RpcReader reader, Utf8JsonWriter json)
    {
        string? text = reader.ReadString();
        if (text is null)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteStringValue(text);
        }
    }
}

/// <summary>Arrays, lists, sets and their interfaces: a length header (or null), then the elements.</summary>
internal sealed class CollectionType : WireType
{
    private readonly WireType _element;

    public CollectionType(string name, WireType element)
        : base(name) => _element = element;

    public override void Write(ref RpcWriter writer, JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Mismatch(value, path, "an array or null");
        }
        writer.WriteCollectionHeader(value.GetArrayLength());
        int i = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            _element.Write(ref writer, item, $"{path}[{i++}]");
        }
    }

    public override void WriteDefault(ref RpcWriter writer) => writer.WriteNullCollectionHeader();

    public override void Read(ref RpcReader reader, Utf8JsonWriter json)
    {
        if (!reader.TryReadCollectionHeader(out int length))
        {
            json.WriteNullValue();
            return;
        }
        json.WriteStartArray();
        for (int i = 0; i < length; i++)
        {
            _element.Read(ref reader, json);
        }
        json.WriteEndArray();
    }
}

/// <summary>
/// Dictionaries: a count header (or null), then each entry as key and value; when both hold no references, the
/// entry is one raw <c>KeyValuePair</c>. JSON gives entries as an object whose property names are the keys.
/// </summary>
internal sealed class DictionaryType : WireType
{
    private readonly WireType _key;
    private readonly WireType _value;

    public DictionaryType(string name, WireType key, WireType value)
        : base(name)
    {
        _key = key;
        _value = value;
    }

    public override void Write(ref RpcWriter writer, JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Mismatch(value, path, "an object (property names are the keys) or null");
        }
        var entries = new List<JsonProperty>(value.EnumerateObject());
        writer.WriteCollectionHeader(entries.Count);
        foreach (JsonProperty entry in entries)
        {
            using JsonDocument key = KeyAsJson(entry.Name);
            string entryPath = $"{path}[\"{entry.Name}\"]";
            if (_key is RawType rawKey && _value is RawType rawValue)
            {
                int valueOffset = NullableRawType.RoundUp(rawKey.Size, rawValue.Alignment);
                int alignment = Math.Max(rawKey.Alignment, rawValue.Alignment);
                var bytes = new byte[NullableRawType.RoundUp(valueOffset + rawValue.Size, alignment)];
                rawKey.Encode(key.RootElement, bytes.AsSpan(0, rawKey.Size), entryPath);
                rawValue.Encode(entry.Value, bytes.AsSpan(valueOffset, rawValue.Size), entryPath);
                writer.WriteRawBytes(bytes);
            }
            else
            {
                _key.Write(ref writer, key.RootElement, entryPath);
                _value.Write(ref writer, entry.Value, entryPath);
            }
        }
    }

    public override void WriteDefault(ref RpcWriter writer) => writer.WriteNullCollectionHeader();

    public override void Read(ref RpcReader reader, Utf8JsonWriter json)
    {
        if (!reader.TryReadCollectionHeader(out int length))
        {
            json.WriteNullValue();
            return;
        }
        json.WriteStartObject();
        for (int i = 0; i < length; i++)
        {
            if (_key is RawType rawKey && _value is RawType rawValue)
            {
                int valueOffset = NullableRawType.RoundUp(rawKey.Size, rawValue.Alignment);
                int alignment = Math.Max(rawKey.Alignment, rawValue.Alignment);
                ReadOnlySpan<byte> bytes = reader.ReadRawBytes(NullableRawType.RoundUp(valueOffset + rawValue.Size, alignment));
                byte[] keyBytes = bytes.Slice(0, rawKey.Size).ToArray();
                json.WritePropertyName(KeyText(w => rawKey.Decode(keyBytes, w)));
                rawValue.Decode(bytes.Slice(valueOffset, rawValue.Size), json);
            }
            else
            {
                var keyBuffer = new ArrayBufferWriter<byte>();
                using (var keyJson = new Utf8JsonWriter(keyBuffer))
                {
                    _key.Read(ref reader, keyJson);
                }
                json.WritePropertyName(Unquote(keyBuffer));
                _value.Read(ref reader, json);
            }
        }
        json.WriteEndObject();
    }

    // A key written as a property name: a string key as is, any other as the JSON literal it spells.
    private JsonDocument KeyAsJson(string name)
    {
        if (_key is not StringType && _key is not EnumType)
        {
            try
            {
                return JsonDocument.Parse(name);
            }
            catch (JsonException)
            {
                // Not a literal: a GUID or a date, which are strings in JSON.
            }
        }
        return JsonDocument.Parse(JsonSerializerQuote(name));
    }

    private delegate void KeyWriter(Utf8JsonWriter writer);

    private static string KeyText(KeyWriter write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        return Unquote(buffer);
    }

    private static string Unquote(ArrayBufferWriter<byte> buffer)
    {
        using JsonDocument document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.ValueKind == JsonValueKind.String ? document.RootElement.GetString()! : document.RootElement.GetRawText();
    }

    private static string JsonSerializerQuote(string text)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(text);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
