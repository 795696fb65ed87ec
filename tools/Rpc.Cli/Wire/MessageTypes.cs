using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text.Json;
using Rpc.Cli.Schema;
using Rpc.Serialization;

namespace Rpc.Cli.Wire;

/// <summary>
/// A message type (<c>object</c> or <c>versionTolerant</c>): an object header with the slot count (or null), then
/// the members in slot order; a version-tolerant type puts every member's byte length before the values. JSON
/// property names match member names without regard to case.
/// </summary>
internal sealed class ObjectType : WireType
{
    /// <summary>The property that names a union case in JSON.</summary>
    public const string TypeProperty = "$type";

    private readonly bool _versionTolerant;
    private readonly List<(MemberContract Member, Lazy<WireType> Type)> _members = new();
    private readonly int _slots;

    public ObjectType(string name, bool versionTolerant, IEnumerable<(MemberContract Member, Lazy<WireType> Type)> members)
        : base(name)
    {
        _versionTolerant = versionTolerant;
        _members.AddRange(members);
        _members.Sort(static (a, b) => a.Member.Slot.CompareTo(b.Member.Slot));
        _slots = _members.Count == 0 ? 0 : _members[^1].Member.Slot + 1;
    }

    public override void Write(ref RpcWriter writer, JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            writer.WriteNullObjectHeader();
            return;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Mismatch(value, path, "an object or null");
        }
        var given = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        foreach (JsonProperty property in value.EnumerateObject())
        {
            if (property.Name == TypeProperty)
            {
                continue;
            }
            if (_members.FindIndex(m => string.Equals(m.Member.Name, property.Name, StringComparison.OrdinalIgnoreCase)) < 0)
            {
                throw new CliException($"{path}: {Name} has no member '{property.Name}'; its members are {string.Join(", ", _members.ConvertAll(m => m.Member.Name))}.");
            }
            if (!given.TryAdd(property.Name, property.Value))
            {
                throw new CliException($"{path}: the member '{property.Name}' is given twice.");
            }
        }
        if (!_versionTolerant)
        {
            writer.WriteObjectHeader(checked((byte)_slots));
            foreach ((MemberContract member, Lazy<WireType> type) in _members)
            {
                WriteMember(ref writer, given, member, type.Value, path);
            }
            return;
        }
        // Each member to scratch first: its length goes in the header, before the values.
        var scratch = new ArrayBufferWriter<byte>();
        Span<int> lengths = stackalloc int[Math.Max(_slots, 1)];
        RpcWriter members = writer.CreateNestedWriter(scratch);
        foreach ((MemberContract member, Lazy<WireType> type) in _members)
        {
            int start = members.WrittenCount;
            WriteMember(ref members, given, member, type.Value, path);
            lengths[member.Slot] = members.WrittenCount - start;
        }
        members.Flush();
        writer.WriteObjectHeader(checked((byte)_slots));
        for (int i = 0; i < _slots; i++)
        {
            writer.WriteVarInt((long)lengths[i]);
        }
        writer.WriteRawBytes(scratch.WrittenSpan);
    }

    public override void WriteDefault(ref RpcWriter writer) => writer.WriteNullObjectHeader();

    public override void Read(ref RpcReader reader, Utf8JsonWriter json) => Read(ref reader, json, caseName: null);

    /// <summary>Reads the object; <paramref name="caseName"/>, when set, is written first as <c>$type</c>.</summary>
    public void Read(ref RpcReader reader, Utf8JsonWriter json, string? caseName)
    {
        if (!reader.TryReadObjectHeader(out byte count))
        {
            json.WriteNullValue();
            return;
        }
        json.WriteStartObject();
        if (caseName is not null)
        {
            json.WriteString(TypeProperty, caseName);
        }
        if (!_versionTolerant)
        {
            if (count > _slots)
            {
                throw new CliException($"The server sent {Name} with {count} members; the contract has {_slots}.");
            }
            foreach ((MemberContract member, Lazy<WireType> type) in _members)
            {
                if (member.Slot < count)
                {
                    json.WritePropertyName(member.Name);
                    type.Value.Read(ref reader, json);
                }
            }
        }
        else
        {
            Span<int> lengths = stackalloc int[count];
            for (int i = 0; i < count; i++)
            {
                lengths[i] = reader.ReadVarIntInt32();
            }
            for (int slot = 0; slot < count; slot++)
            {
                int index = _members.FindIndex(m => m.Member.Slot == slot);
                if (index < 0 || lengths[slot] == 0)
                {
                    reader.Advance(lengths[slot]);
                    continue;
                }
                json.WritePropertyName(_members[index].Member.Name);
                _members[index].Type.Value.Read(ref reader, json);
            }
        }
        json.WriteEndObject();
    }

    private static void WriteMember(ref RpcWriter writer, Dictionary<string, JsonElement> given, MemberContract member, WireType type, string path)
    {
        if (given.TryGetValue(member.Name, out JsonElement value))
        {
            type.Write(ref writer, value, path + "." + member.Name);
        }
        else
        {
            type.WriteDefault(ref writer);
        }
    }
}

/// <summary>
/// A union: a tag header (or null), then the case's object. In JSON the case is named by <c>"$type"</c>: the
/// case's full or short type name, or its tag.
/// </summary>
internal sealed class UnionType : WireType
{
    private readonly List<(UnionCaseContract Case, Lazy<WireType> Type)> _cases;

    public UnionType(string name, List<(UnionCaseContract Case, Lazy<WireType> Type)> cases)
        : base(name) => _cases = cases;

    public override void Write(ref RpcWriter writer, JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            writer.WriteNullObjectHeader();
            return;
        }
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(ObjectType.TypeProperty, out JsonElement caseName))
        {
            throw new CliException($"{path}: {Name} is a union: give an object with \"{ObjectType.TypeProperty}\" set to one of {CaseList()}.");
        }
        string text = caseName.ValueKind == JsonValueKind.Number ? caseName.GetRawText() : caseName.GetString() ?? string.Empty;
        foreach ((UnionCaseContract unionCase, Lazy<WireType> type) in _cases)
        {
            string shortName = unionCase.Type.Substring(unionCase.Type.LastIndexOf('.') + 1);
            if (text == unionCase.Tag.ToString(System.Globalization.CultureInfo.InvariantCulture)
                || string.Equals(text, unionCase.Type, StringComparison.OrdinalIgnoreCase)
                || string.Equals(text, shortName, StringComparison.OrdinalIgnoreCase))
            {
                writer.WriteUnionHeader(unionCase.Tag);
                type.Value.Write(ref writer, value, path);
                return;
            }
        }
        throw new CliException($"{path}.{ObjectType.TypeProperty}: '{text}' is not a case of {Name}; its cases are {CaseList()}.");
    }

    public override void WriteDefault(ref RpcWriter writer) => writer.WriteNullObjectHeader();

    public override void Read(ref RpcReader reader, Utf8JsonWriter json)
    {
        if (!reader.TryReadUnionHeader(out ushort tag))
        {
            json.WriteNullValue();
            return;
        }
        foreach ((UnionCaseContract unionCase, Lazy<WireType> type) in _cases)
        {
            if (unionCase.Tag == tag)
            {
                if (type.Value is ObjectType objectType)
                {
                    objectType.Read(ref reader, json, unionCase.Type);
                }
                else
                {
                    type.Value.Read(ref reader, json);
                }
                return;
            }
        }
        throw new CliException($"The server sent {Name} with tag {tag}, which the contract does not list.");
    }

    private string CaseList() => string.Join(", ", _cases.ConvertAll(c => $"{c.Case.Type} ({c.Case.Tag})"));
}
