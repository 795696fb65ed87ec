using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rpc.Generators.Tests.Serialization;

/// <summary>One golden case made with the real MemoryPack (see ../shared/memorypack/README.md).</summary>
public sealed class MemoryPackVector
{
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    [JsonPropertyName("description")] public string Description { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("types")] public string Types { get; set; } = "";
    [JsonPropertyName("value")] public string Value { get; set; } = "";
    [JsonPropertyName("serializeType")] public string SerializeType { get; set; } = "";
    [JsonPropertyName("options")] public string Options { get; set; } = "";
    [JsonPropertyName("hex")] public string Hex { get; set; } = "";
    [JsonPropertyName("notes")] public string Notes { get; set; } = "";

    public override string ToString() => Id;

    public static IReadOnlyList<MemoryPackVector> LoadAll()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Serialization", "vectors.json");
        return JsonSerializer.Deserialize<List<MemoryPackVector>>(File.ReadAllText(path))!;
    }

    /// <summary>The case's types with MemoryPack's names mapped to ours (the README's table, exactly).</summary>
    public string TranslatedTypes() => Translate(Types);

    public static string Translate(string source) => source
        .Replace("[MemoryPackable", "[RpcMessage")
        .Replace("MemoryPackOrder", "RpcOrder")
        .Replace("MemoryPackIgnore", "RpcIgnore")
        .Replace("MemoryPackInclude", "RpcInclude")
        .Replace("MemoryPackConstructor", "RpcConstructor")
        .Replace("MemoryPackUnion", "RpcUnion")
        .Replace("Utf8StringFormatter", "Utf8String")
        .Replace("Utf16StringFormatter", "Utf16String")
        .Replace("MemoryPackSerializerOptions", "RpcSerializerOptions")
        .Replace("MemoryPackSerializer", "RpcSerializer");

    public string OptionsExpression() => Options switch
    {
        "MemoryPackSerializerOptions.Utf16" => "global::Rpc.Serialization.RpcSerializerOptions.Utf16",
        "MemoryPackSerializerOptions.Utf8" => "global::Rpc.Serialization.RpcSerializerOptions.Utf8",
        _ => "global::Rpc.Serialization.RpcSerializerOptions.Default",
    };

    public byte[] Bytes() => Convert.FromHexString(Hex);
}
