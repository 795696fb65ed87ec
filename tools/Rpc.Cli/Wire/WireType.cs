using System.Text.Json;
using Rpc.Serialization;

namespace Rpc.Cli.Wire;

/// <summary>
/// One type of a contract, able to turn JSON into its MemoryPack wire form and back, read from the schema at run
/// time. <c>path</c> names where in the JSON a value sits (<c>$.request.lines[2]</c>) for error messages.
/// </summary>
internal abstract class WireType
{
    protected WireType(string name) => Name = name;

    /// <summary>The contract's name for the type.</summary>
    public string Name { get; }

    public abstract void Write(ref RpcWriter writer, JsonElement value, string path);

    /// <summary>Writes the value a missing JSON member stands for: null, or zero bytes.</summary>
    public abstract void WriteDefault(ref RpcWriter writer);

    public abstract void Read(ref RpcReader reader, Utf8JsonWriter json);

    protected CliException Mismatch(JsonElement value, string path, string expected) =>
        new($"{path}: expected {expected} for {Name}, found {Describe(value)}.");

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "the string " + value.GetRawText(),
        JsonValueKind.Number => "the number " + value.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        _ => "an object",
    };
}
