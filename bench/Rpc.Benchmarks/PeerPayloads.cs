using MemoryPack;
using MessagePack;
using Rpc.Serialization;

namespace Rpc.Benchmarks;

// The payloads of PeerSerializerBenchmarks, each declared once per library (Rpc, MemoryPack, MessagePack) with the
// same members, as a user of each would declare them. The standard message is StandardMessage (Rpc) and its twins.

/// <summary>A small unmanaged struct: 1,000 of them in an array are one row. All three libraries take it as is (MessagePack through its keys).</summary>
[MessagePackObject]
public struct SmallStruct
{
    [Key(0)]
    public int X;

    [Key(1)]
    public int Y;

    [Key(2)]
    public float Weight;

    [Key(3)]
    public short Kind;
}

/// <summary>An object with two strings (Rpc).</summary>
[RpcMessage]
public partial class RpcPerson
{
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
}

/// <summary>An object with two strings (MemoryPack).</summary>
[MemoryPackable]
public partial class MemoryPackPerson
{
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
}

/// <summary>An object with two strings (MessagePack).</summary>
[MessagePackObject]
public class MessagePackPerson
{
    [Key(0)]
    public string? FirstName { get; set; }

    [Key(1)]
    public string? LastName { get; set; }
}

/// <summary>A node of the deep object graph (Rpc).</summary>
[RpcMessage]
public partial class RpcNode
{
    public int Value { get; set; }
    public string? Name { get; set; }
    public List<RpcNode>? Children { get; set; }
}

/// <summary>A node of the deep object graph (MemoryPack).</summary>
[MemoryPackable]
public partial class MemoryPackNode
{
    public int Value { get; set; }
    public string? Name { get; set; }
    public List<MemoryPackNode>? Children { get; set; }
}

/// <summary>A node of the deep object graph (MessagePack).</summary>
[MessagePackObject]
public class MessagePackNode
{
    [Key(0)]
    public int Value { get; set; }

    [Key(1)]
    public string? Name { get; set; }

    [Key(2)]
    public List<MessagePackNode>? Children { get; set; }
}

/// <summary>The standard message (see <see cref="StandardMessage"/>) for MemoryPack.</summary>
[MemoryPackable]
public partial class MemoryPackStandardMessage
{
    public int Id { get; set; }
    public long Sequence { get; set; }
    public double Score { get; set; }
    public string? Name { get; set; }
    public Guid Key { get; set; }
    public DateTime Timestamp { get; set; }
    public List<int>? Values { get; set; }
}

/// <summary>The standard message (see <see cref="StandardMessage"/>) for MessagePack.</summary>
[MessagePackObject]
public class MessagePackStandardMessage
{
    [Key(0)]
    public int Id { get; set; }

    [Key(1)]
    public long Sequence { get; set; }

    [Key(2)]
    public double Score { get; set; }

    [Key(3)]
    public string? Name { get; set; }

    [Key(4)]
    public Guid Key { get; set; }

    [Key(5)]
    public DateTime Timestamp { get; set; }

    [Key(6)]
    public List<int>? Values { get; set; }
}

/// <summary>Builds the same values for the three libraries.</summary>
public static class PeerPayloadData
{
    public const int Structs = 1_000;
    public const int People = 100;
    public const int DictionaryEntries = 100;

    /// <summary>Levels of the graph: a binary tree of 2^Depth - 1 nodes (255), as deep as it is.</summary>
    public const int Depth = 8;

    public static SmallStruct[] CreateStructs() =>
        Enumerable.Range(0, Structs).Select(i => new SmallStruct { X = i, Y = -i, Weight = i * 0.5f, Kind = (short)(i % 7) }).ToArray();

    public static List<T> CreatePeople<T>(Func<string, string, T> create) =>
        Enumerable.Range(0, People).Select(i => create($"First{i:D3}", $"Lastname{i:D5}")).ToList();

    public static Dictionary<string, int> CreateDictionary() =>
        Enumerable.Range(0, DictionaryEntries).ToDictionary(i => $"key-{i:D4}", i => i * 31);

    public static T CreateTree<T>(Func<int, string, List<T>?, T> create, int depth = Depth, int value = 1) =>
        create(value, $"node {value}", depth == 1 ? null : [CreateTree(create, depth - 1, 2 * value), CreateTree(create, depth - 1, 2 * value + 1)]);

    public static MemoryPackStandardMessage ToMemoryPack(StandardMessage m) => new()
    {
        Id = m.Id, Sequence = m.Sequence, Score = m.Score, Name = m.Name, Key = m.Key, Timestamp = m.Timestamp, Values = m.Values,
    };

    public static MessagePackStandardMessage ToMessagePack(StandardMessage m) => new()
    {
        Id = m.Id, Sequence = m.Sequence, Score = m.Score, Name = m.Name, Key = m.Key, Timestamp = m.Timestamp, Values = m.Values,
    };
}
