using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Rpc.Serialization;

namespace Rpc.Benchmarks;

/// <summary>Serialize to a reused buffer writer and deserialize the standard message, against System.Text.Json (source-generated) in the same run.</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SerializerBenchmarks
{
    private readonly StandardMessage _message = StandardMessage.Create();
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private Utf8JsonWriter _jsonWriter = null!;
    private byte[] _rpcBytes = null!;
    private byte[] _jsonBytes = null!;

    [GlobalSetup]
    public void Setup()
    {
        _jsonWriter = new Utf8JsonWriter(_buffer);
        _rpcBytes = RpcSerializer.Serialize(_message);
        _jsonBytes = JsonSerializer.SerializeToUtf8Bytes(_message, StandardMessageJsonContext.Default.StandardMessage);
    }

    [Benchmark(Baseline = true, Description = "Rpc serialize")]
    [BenchmarkCategory("Serialize")]
    public int RpcSerialize()
    {
        _buffer.ResetWrittenCount();
        RpcSerializer.Serialize(_buffer, _message);
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "System.Text.Json serialize")]
    [BenchmarkCategory("Serialize")]
    public int JsonSerialize()
    {
        _buffer.ResetWrittenCount();
        _jsonWriter.Reset(_buffer);
        JsonSerializer.Serialize(_jsonWriter, _message, StandardMessageJsonContext.Default.StandardMessage);
        return _buffer.WrittenCount;
    }

    [Benchmark(Baseline = true, Description = "Rpc deserialize")]
    [BenchmarkCategory("Deserialize")]
    public StandardMessage? RpcDeserialize() => RpcSerializer.Deserialize<StandardMessage>(_rpcBytes);

    [Benchmark(Description = "System.Text.Json deserialize")]
    [BenchmarkCategory("Deserialize")]
    public StandardMessage? JsonDeserialize() => JsonSerializer.Deserialize(_jsonBytes, StandardMessageJsonContext.Default.StandardMessage);
}
