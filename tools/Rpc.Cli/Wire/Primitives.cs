using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace Rpc.Cli.Wire;

/// <summary>The built-in raw types by their contract names, with how JSON spells them.</summary>
internal static class Primitives
{
    public static readonly IReadOnlyDictionary<string, RawType> ByName = Create();

    private static Dictionary<string, RawType> Create()
    {
        var all = new RawType[]
        {
            new PrimitiveType<bool>("bool", 1, "true or false", v => v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null, (j, x) => j.WriteBooleanValue(x)),
            Integer<byte>("byte", 1, (JsonElement v, out byte x) => v.TryGetByte(out x), (j, x) => j.WriteNumberValue(x)),
            Integer<sbyte>("sbyte", 1, (JsonElement v, out sbyte x) => v.TryGetSByte(out x), (j, x) => j.WriteNumberValue(x)),
            Integer<short>("short", 2, (JsonElement v, out short x) => v.TryGetInt16(out x), (j, x) => j.WriteNumberValue(x)),
            Integer<ushort>("ushort", 2, (JsonElement v, out ushort x) => v.TryGetUInt16(out x), (j, x) => j.WriteNumberValue(x)),
            Integer<int>("int", 4, (JsonElement v, out int x) => v.TryGetInt32(out x), (j, x) => j.WriteNumberValue(x)),
            Integer<uint>("uint", 4, (JsonElement v, out uint x) => v.TryGetUInt32(out x), (j, x) => j.WriteNumberValue(x)),
            Integer<long>("long", 8, (JsonElement v, out long x) => v.TryGetInt64(out x), (j, x) => j.WriteNumberValue(x)),
            Integer<ulong>("ulong", 8, (JsonElement v, out ulong x) => v.TryGetUInt64(out x), (j, x) => j.WriteNumberValue(x)),
            Integer<float>("float", 4, (JsonElement v, out float x) => v.TryGetSingle(out x), (j, x) => j.WriteNumberValue(x)),
            Integer<double>("double", 8, (JsonElement v, out double x) => v.TryGetDouble(out x), (j, x) => j.WriteNumberValue(x)),
            Integer<decimal>("decimal", 8, (JsonElement v, out decimal x) => v.TryGetDecimal(out x), (j, x) => j.WriteNumberValue(x)),
            new PrimitiveType<char>("char", 2, "a one-character string", v => v.ValueKind == JsonValueKind.String && v.GetString() is { Length: 1 } s ? s[0] : null, (j, x) => j.WriteStringValue(x.ToString())),
            Text<Guid>("System.Guid", 4, "a GUID string", s => Guid.TryParse(s, out Guid g) ? g : null, g => g.ToString("D")),
            Text<DateTime>("System.DateTime", 8, "an ISO 8601 date and time string", s => DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTime d) ? d : null, d => d.ToString("O", CultureInfo.InvariantCulture)),
            Text<DateTimeOffset>("System.DateTimeOffset", 8, "an ISO 8601 date and time string with an offset", s => DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset d) ? d : null, d => d.ToString("O", CultureInfo.InvariantCulture)),
            Text<TimeSpan>("System.TimeSpan", 8, "a time span string such as \"00:01:30\"", s => TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out TimeSpan t) ? t : null, t => t.ToString("c", CultureInfo.InvariantCulture)),
        };
        var byName = new Dictionary<string, RawType>(StringComparer.Ordinal);
        foreach (RawType type in all)
        {
            byName.Add(type.Name, type);
        }
        return byName;
    }

    private delegate bool TryGet<T>(JsonElement value, out T result);

    private static PrimitiveType<T> Integer<T>(string name, int alignment, TryGet<T> tryGet, Action<Utf8JsonWriter, T> print) where T : unmanaged =>
        new(name, alignment, "a number in range", v => v.ValueKind == JsonValueKind.Number && tryGet(v, out T x) ? x : null, print);

    private static PrimitiveType<T> Text<T>(string name, int alignment, string expected, Func<string, T?> parse, Func<T, string> format) where T : unmanaged =>
        new(name, alignment, expected, v => v.ValueKind == JsonValueKind.String ? parse(v.GetString()!) : null, (j, x) => j.WriteStringValue(format(x)));
}
