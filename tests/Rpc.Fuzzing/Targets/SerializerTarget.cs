using System;
using System.Collections.Generic;
using Rpc.Serialization;

namespace Rpc.Fuzzing.Targets;

/// <summary>
/// <see cref="RpcSerializer.Deserialize{T}(ReadOnlySpan{byte}, RpcSerializerOptions)"/> of generated types: documents
/// <see cref="RpcSerializationException"/> and nothing else for malformed bytes. A value that reads must write, read
/// back and write again to the same bytes (writing may refuse a string that has no UTF-8 form, as documented).
/// Input: one byte choosing the type, then its bytes.
/// </summary>
public sealed class SerializerTarget : IFuzzTarget
{
    /// <summary>The types, in the order of the first input byte; the seed writer uses the same order.</summary>
    public static readonly string[] TypeNames =
    {
        nameof(Order), nameof(Shape), nameof(Profile), "Dictionary<string, List<string>>", "List<Shape?>", "string?[]", nameof(Address),
    };

    private delegate T? Reader<T>(ReadOnlySpan<byte> bytes);

    public string Name => "serializer";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }
        ReadOnlySpan<byte> bytes = input.Slice(1);
        switch (input[0] % TypeNames.Length)
        {
            case 0:
                RoundTrip(bytes, static b => RpcSerializer.Deserialize<Order>(b));
                break;
            case 1:
                RoundTrip(bytes, static b => RpcSerializer.Deserialize<Shape>(b));
                break;
            case 2:
                RoundTrip(bytes, static b => RpcSerializer.Deserialize<Profile>(b));
                break;
            case 3:
                RoundTrip(bytes, static b => RpcSerializer.Deserialize<Dictionary<string, List<string>>>(b));
                break;
            case 4:
                RoundTrip(bytes, static b => RpcSerializer.Deserialize<List<Shape?>>(b));
                break;
            case 5:
                RoundTrip(bytes, static b => RpcSerializer.Deserialize<string?[]>(b));
                break;
            default:
                RoundTrip(bytes, static b => RpcSerializer.Deserialize<Address>(b));
                break;
        }
    }

    private static void RoundTrip<T>(ReadOnlySpan<byte> bytes, Reader<T> read)
    {
        T? value;
        try
        {
            value = read(bytes);
        }
        catch (RpcSerializationException)
        {
            return;
        }

        byte[] written;
        try
        {
            written = RpcSerializer.Serialize(value, RpcSerializerOptions.Utf16);
        }
        catch (RpcSerializationException)
        {
            return; // Over MaxDepth on writing is documented too; reading allowed the same depth, so this is rare.
        }
        T? again = read(written);
        byte[] rewritten = RpcSerializer.Serialize(again, RpcSerializerOptions.Utf16);
        if (!written.AsSpan().SequenceEqual(rewritten))
        {
            throw new FuzzInvariantException($"Serializer: a {typeof(T).Name} read from its own bytes writes other bytes ({written.Length} then {rewritten.Length}: {Convert.ToHexString(written)} then {Convert.ToHexString(rewritten)}).");
        }
    }
}
