using System.Text.Json.Serialization;
using Rpc.Serialization;

namespace Rpc.Benchmarks;

/// <summary>The standard message: an int, a long, a double, a 32-char ASCII string, a Guid, a DateTime and 16 ints.</summary>
[RpcMessage]
public partial class StandardMessage
{
    public int Id { get; set; }
    public long Sequence { get; set; }
    public double Score { get; set; }
    public string? Name { get; set; }
    public Guid Key { get; set; }
    public DateTime Timestamp { get; set; }
    public List<int>? Values { get; set; }

    public static StandardMessage Create() => new()
    {
        Id = 42,
        Sequence = 1234567890123,
        Score = 98.6,
        Name = "abcdefghijklmnopqrstuvwxyz012345",
        Key = new Guid("00112233-4455-6677-8899-aabbccddeeff"),
        Timestamp = new DateTime(2026, 11, 21, 12, 0, 0, DateTimeKind.Utc),
        Values = Enumerable.Range(0, 16).ToList(),
    };
}

/// <summary>System.Text.Json's source-generated metadata for the same message, for the side-by-side run.</summary>
[JsonSerializable(typeof(StandardMessage))]
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Default)]
public partial class StandardMessageJsonContext : JsonSerializerContext
{
}
