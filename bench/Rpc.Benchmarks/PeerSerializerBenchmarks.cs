using System.Buffers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MemoryPack;
using MessagePack;
using Rpc.Serialization;

namespace Rpc.Benchmarks;

/// <summary>
/// Rpc against MemoryPack (the format it is compatible with) and MessagePack (MessagePack-CSharp 2.5, its default
/// resolver, which emits formatters at run time; 3.x needs an analyzer package the feed does not hold), issue 23: the standard message, 1,000 small unmanaged structs, a list of 100 objects with two strings,
/// a <c>Dictionary&lt;string, int&gt;</c> of 100 entries and a deep object graph (a binary tree of 255 nodes, 8
/// levels). Serialize writes to a reused <see cref="ArrayBufferWriter{T}"/>; deserialize reads a byte array. Each
/// category's baseline is Rpc. Run:
/// <c>dotnet run -c Release --project bench/Rpc.Benchmarks -- --filter '*PeerSerializerBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[WarmupCount(3)]
[IterationCount(10)]
[IterationTime(250)]
public class PeerSerializerBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);

    private readonly StandardMessage _rpcMessage = StandardMessage.Create();
    private readonly MemoryPackStandardMessage _memoryPackMessage = PeerPayloadData.ToMemoryPack(StandardMessage.Create());
    private readonly MessagePackStandardMessage _messagePackMessage = PeerPayloadData.ToMessagePack(StandardMessage.Create());
    private readonly SmallStruct[] _structs = PeerPayloadData.CreateStructs();
    private readonly List<RpcPerson> _rpcPeople = PeerPayloadData.CreatePeople((first, last) => new RpcPerson { FirstName = first, LastName = last });
    private readonly List<MemoryPackPerson> _memoryPackPeople = PeerPayloadData.CreatePeople((first, last) => new MemoryPackPerson { FirstName = first, LastName = last });
    private readonly List<MessagePackPerson> _messagePackPeople = PeerPayloadData.CreatePeople((first, last) => new MessagePackPerson { FirstName = first, LastName = last });
    private readonly Dictionary<string, int> _dictionary = PeerPayloadData.CreateDictionary();
    private readonly RpcNode _rpcTree = PeerPayloadData.CreateTree<RpcNode>((value, name, children) => new RpcNode { Value = value, Name = name, Children = children });
    private readonly MemoryPackNode _memoryPackTree = PeerPayloadData.CreateTree<MemoryPackNode>((value, name, children) => new MemoryPackNode { Value = value, Name = name, Children = children });
    private readonly MessagePackNode _messagePackTree = PeerPayloadData.CreateTree<MessagePackNode>((value, name, children) => new MessagePackNode { Value = value, Name = name, Children = children });

    private byte[] _rpcMessageBytes = null!, _memoryPackMessageBytes = null!, _messagePackMessageBytes = null!;
    private byte[] _rpcStructBytes = null!, _memoryPackStructBytes = null!, _messagePackStructBytes = null!;
    private byte[] _rpcPeopleBytes = null!, _memoryPackPeopleBytes = null!, _messagePackPeopleBytes = null!;
    private byte[] _rpcDictionaryBytes = null!, _memoryPackDictionaryBytes = null!, _messagePackDictionaryBytes = null!;
    private byte[] _rpcTreeBytes = null!, _memoryPackTreeBytes = null!, _messagePackTreeBytes = null!;

    [GlobalSetup]
    public void Setup()
    {
        _rpcMessageBytes = RpcSerializer.Serialize(_rpcMessage);
        _memoryPackMessageBytes = MemoryPackSerializer.Serialize(_memoryPackMessage);
        _messagePackMessageBytes = MessagePackSerializer.Serialize(_messagePackMessage);
        _rpcStructBytes = RpcSerializer.Serialize(_structs);
        _memoryPackStructBytes = MemoryPackSerializer.Serialize(_structs);
        _messagePackStructBytes = MessagePackSerializer.Serialize(_structs);
        _rpcPeopleBytes = RpcSerializer.Serialize(_rpcPeople);
        _memoryPackPeopleBytes = MemoryPackSerializer.Serialize(_memoryPackPeople);
        _messagePackPeopleBytes = MessagePackSerializer.Serialize(_messagePackPeople);
        _rpcDictionaryBytes = RpcSerializer.Serialize(_dictionary);
        _memoryPackDictionaryBytes = MemoryPackSerializer.Serialize(_dictionary);
        _messagePackDictionaryBytes = MessagePackSerializer.Serialize(_dictionary);
        _rpcTreeBytes = RpcSerializer.Serialize(_rpcTree);
        _memoryPackTreeBytes = MemoryPackSerializer.Serialize(_memoryPackTree);
        _messagePackTreeBytes = MessagePackSerializer.Serialize(_messagePackTree);
        // Rpc writes MemoryPack's format: the same bytes, so each library reads what the other wrote.
        foreach ((string row, byte[] rpc, byte[] memoryPack) in new[]
        {
            ("standard message", _rpcMessageBytes, _memoryPackMessageBytes), ("structs", _rpcStructBytes, _memoryPackStructBytes),
            ("people", _rpcPeopleBytes, _memoryPackPeopleBytes), ("dictionary", _rpcDictionaryBytes, _memoryPackDictionaryBytes),
            ("tree", _rpcTreeBytes, _memoryPackTreeBytes),
        })
        {
            if (!rpc.AsSpan().SequenceEqual(memoryPack))
            {
                throw new InvalidOperationException($"Rpc and MemoryPack wrote different bytes for the {row} row.");
            }
        }
    }

    // The standard message.

    [Benchmark(Baseline = true, Description = "Rpc")]
    [BenchmarkCategory("1 standard message, serialize")]
    public int MessageRpcSerialize() => RpcWrite(_rpcMessage);

    [Benchmark(Description = "MemoryPack")]
    [BenchmarkCategory("1 standard message, serialize")]
    public int MessageMemoryPackSerialize() => MemoryPackWrite(_memoryPackMessage);

    [Benchmark(Description = "MessagePack")]
    [BenchmarkCategory("1 standard message, serialize")]
    public int MessageMessagePackSerialize() => MessagePackWrite(_messagePackMessage);

    [Benchmark(Baseline = true, Description = "Rpc")]
    [BenchmarkCategory("1 standard message, deserialize")]
    public StandardMessage? MessageRpcDeserialize() => RpcSerializer.Deserialize<StandardMessage>(_rpcMessageBytes);

    [Benchmark(Description = "MemoryPack")]
    [BenchmarkCategory("1 standard message, deserialize")]
    public MemoryPackStandardMessage? MessageMemoryPackDeserialize() => MemoryPackSerializer.Deserialize<MemoryPackStandardMessage>(_memoryPackMessageBytes);

    [Benchmark(Description = "MessagePack")]
    [BenchmarkCategory("1 standard message, deserialize")]
    public MessagePackStandardMessage MessageMessagePackDeserialize() => MessagePackSerializer.Deserialize<MessagePackStandardMessage>(_messagePackMessageBytes);

    // 1,000 small unmanaged structs.

    [Benchmark(Baseline = true, Description = "Rpc")]
    [BenchmarkCategory("2 1,000 structs, serialize")]
    public int StructsRpcSerialize() => RpcWrite(_structs);

    [Benchmark(Description = "MemoryPack")]
    [BenchmarkCategory("2 1,000 structs, serialize")]
    public int StructsMemoryPackSerialize() => MemoryPackWrite(_structs);

    [Benchmark(Description = "MessagePack")]
    [BenchmarkCategory("2 1,000 structs, serialize")]
    public int StructsMessagePackSerialize() => MessagePackWrite(_structs);

    [Benchmark(Baseline = true, Description = "Rpc")]
    [BenchmarkCategory("2 1,000 structs, deserialize")]
    public SmallStruct[]? StructsRpcDeserialize() => RpcSerializer.Deserialize<SmallStruct[]>(_rpcStructBytes);

    [Benchmark(Description = "MemoryPack")]
    [BenchmarkCategory("2 1,000 structs, deserialize")]
    public SmallStruct[]? StructsMemoryPackDeserialize() => MemoryPackSerializer.Deserialize<SmallStruct[]>(_memoryPackStructBytes);

    [Benchmark(Description = "MessagePack")]
    [BenchmarkCategory("2 1,000 structs, deserialize")]
    public SmallStruct[] StructsMessagePackDeserialize() => MessagePackSerializer.Deserialize<SmallStruct[]>(_messagePackStructBytes);

    // A list of 100 objects with two strings.

    [Benchmark(Baseline = true, Description = "Rpc")]
    [BenchmarkCategory("3 100 objects, serialize")]
    public int PeopleRpcSerialize() => RpcWrite(_rpcPeople);

    [Benchmark(Description = "MemoryPack")]
    [BenchmarkCategory("3 100 objects, serialize")]
    public int PeopleMemoryPackSerialize() => MemoryPackWrite(_memoryPackPeople);

    [Benchmark(Description = "MessagePack")]
    [BenchmarkCategory("3 100 objects, serialize")]
    public int PeopleMessagePackSerialize() => MessagePackWrite(_messagePackPeople);

    [Benchmark(Baseline = true, Description = "Rpc")]
    [BenchmarkCategory("3 100 objects, deserialize")]
    public List<RpcPerson>? PeopleRpcDeserialize() => RpcSerializer.Deserialize<List<RpcPerson>>(_rpcPeopleBytes);

    [Benchmark(Description = "MemoryPack")]
    [BenchmarkCategory("3 100 objects, deserialize")]
    public List<MemoryPackPerson>? PeopleMemoryPackDeserialize() => MemoryPackSerializer.Deserialize<List<MemoryPackPerson>>(_memoryPackPeopleBytes);

    [Benchmark(Description = "MessagePack")]
    [BenchmarkCategory("3 100 objects, deserialize")]
    public List<MessagePackPerson> PeopleMessagePackDeserialize() => MessagePackSerializer.Deserialize<List<MessagePackPerson>>(_messagePackPeopleBytes);

    // A Dictionary<string, int> of 100 entries.

    [Benchmark(Baseline = true, Description = "Rpc")]
    [BenchmarkCategory("4 dictionary of 100, serialize")]
    public int DictionaryRpcSerialize() => RpcWrite(_dictionary);

    [Benchmark(Description = "MemoryPack")]
    [BenchmarkCategory("4 dictionary of 100, serialize")]
    public int DictionaryMemoryPackSerialize() => MemoryPackWrite(_dictionary);

    [Benchmark(Description = "MessagePack")]
    [BenchmarkCategory("4 dictionary of 100, serialize")]
    public int DictionaryMessagePackSerialize() => MessagePackWrite(_dictionary);

    [Benchmark(Baseline = true, Description = "Rpc")]
    [BenchmarkCategory("4 dictionary of 100, deserialize")]
    public Dictionary<string, int>? DictionaryRpcDeserialize() => RpcSerializer.Deserialize<Dictionary<string, int>>(_rpcDictionaryBytes);

    [Benchmark(Description = "MemoryPack")]
    [BenchmarkCategory("4 dictionary of 100, deserialize")]
    public Dictionary<string, int>? DictionaryMemoryPackDeserialize() => MemoryPackSerializer.Deserialize<Dictionary<string, int>>(_memoryPackDictionaryBytes);

    [Benchmark(Description = "MessagePack")]
    [BenchmarkCategory("4 dictionary of 100, deserialize")]
    public Dictionary<string, int> DictionaryMessagePackDeserialize() => MessagePackSerializer.Deserialize<Dictionary<string, int>>(_messagePackDictionaryBytes);

    // A deep object graph.

    [Benchmark(Baseline = true, Description = "Rpc")]
    [BenchmarkCategory("5 tree of 255 nodes, serialize")]
    public int TreeRpcSerialize() => RpcWrite(_rpcTree);

    [Benchmark(Description = "MemoryPack")]
    [BenchmarkCategory("5 tree of 255 nodes, serialize")]
    public int TreeMemoryPackSerialize() => MemoryPackWrite(_memoryPackTree);

    [Benchmark(Description = "MessagePack")]
    [BenchmarkCategory("5 tree of 255 nodes, serialize")]
    public int TreeMessagePackSerialize() => MessagePackWrite(_messagePackTree);

    [Benchmark(Baseline = true, Description = "Rpc")]
    [BenchmarkCategory("5 tree of 255 nodes, deserialize")]
    public RpcNode? TreeRpcDeserialize() => RpcSerializer.Deserialize<RpcNode>(_rpcTreeBytes);

    [Benchmark(Description = "MemoryPack")]
    [BenchmarkCategory("5 tree of 255 nodes, deserialize")]
    public MemoryPackNode? TreeMemoryPackDeserialize() => MemoryPackSerializer.Deserialize<MemoryPackNode>(_memoryPackTreeBytes);

    [Benchmark(Description = "MessagePack")]
    [BenchmarkCategory("5 tree of 255 nodes, deserialize")]
    public MessagePackNode TreeMessagePackDeserialize() => MessagePackSerializer.Deserialize<MessagePackNode>(_messagePackTreeBytes);

    private int RpcWrite<T>(T value)
    {
        _buffer.ResetWrittenCount();
        RpcSerializer.Serialize(_buffer, value);
        return _buffer.WrittenCount;
    }

    private int MemoryPackWrite<T>(T value)
    {
        _buffer.ResetWrittenCount();
        MemoryPackSerializer.Serialize(_buffer, value);
        return _buffer.WrittenCount;
    }

    private int MessagePackWrite<T>(T value)
    {
        _buffer.ResetWrittenCount();
        MessagePackSerializer.Serialize(_buffer, value);
        return _buffer.WrittenCount;
    }
}
