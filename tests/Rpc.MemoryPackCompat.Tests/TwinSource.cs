using System.Runtime.CompilerServices;

namespace Compat;

/// <summary>
/// How Twins/RpcTwins.cs is made from Twins/MemoryPackTwins.cs: MemoryPack's names replaced by Rpc's, the table of
/// the golden vectors' README (docs/serialization.md), nothing else.
/// </summary>
public static class TwinSource
{
    private static readonly (string MemoryPack, string Rpc)[] s_names =
    [
        ("// The shapes as MemoryPack declares them (edit this file; Twins/RpcTwins.cs is made from it).", "// GENERATED from Twins/MemoryPackTwins.cs: do not edit. The shapes as Rpc declares them."),
        ("Compat.MemoryPackTwins", "Compat.RpcTwins"),
        ("using MemoryPack;", "using Rpc.Serialization;"),
        ("MemoryPackSerializerOptions", "RpcSerializerOptions"),
        ("MemoryPackSerializer", "RpcSerializer"),
        ("[MemoryPackable", "[RpcMessage"),
        ("MemoryPackOrder", "RpcOrder"),
        ("MemoryPackIgnore", "RpcIgnore"),
        ("MemoryPackInclude", "RpcInclude"),
        ("MemoryPackConstructor", "RpcConstructor"),
        ("MemoryPackUnion", "RpcUnion"),
        ("Utf16StringFormatter", "Utf16String"),
        ("Utf8StringFormatter", "Utf8String"),
    ];

    public static string Translate(string memoryPackSource)
    {
        string result = memoryPackSource;
        foreach ((string memoryPack, string rpc) in s_names)
        {
            result = result.Replace(memoryPack, rpc, StringComparison.Ordinal);
        }
        return result;
    }

    public static string Directory([CallerFilePath] string path = "") => Path.Combine(Path.GetDirectoryName(path)!, "Twins");
}
