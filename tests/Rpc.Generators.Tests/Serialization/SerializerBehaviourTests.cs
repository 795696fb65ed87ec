using System.Buffers;
using Rpc.Generators.Tests.Infrastructure;
using Rpc.Serialization;

namespace Rpc.Generators.Tests.Serialization;

/// <summary>Behaviours the vectors' notes describe, and the limits that guard a server from hostile payloads.</summary>
public sealed class SerializerBehaviourTests
{
    private static readonly Lazy<System.Reflection.Assembly> s_types = new(() =>
    {
        var (_, output, diagnostics) = TestCompilation.RunGenerator(TestCompilation.Create("""
            #nullable enable
            using System.Collections.Generic;
            using Rpc.Serialization;
            namespace Behaviour
            {
                [RpcMessage] public partial class Chain { public int Value { get; set; } public Chain? Next { get; set; } }
                [RpcMessage] public partial class VersionCheckV1 { public int Prop1 { get; set; } public long Prop2 { get; set; } }
                [RpcMessage] public partial class VersionCheckV2 { public int Prop1 { get; set; } public long Prop2 { get; set; } public int? AddedProp { get; set; } public string? AddedName { get; set; } }
                [RpcMessage] public partial class WithDefaults { public int A { get; set; } [SuppressDefaultInitialization] public int B { get; set; } = 42; public int C { get; set; } = 7; }
                [RpcMessage] public partial class WithDefaultsV1 { public int A { get; set; } }
                public static class Api
                {
                    public static byte[] Chain(int depth)
                    {
                        Chain? head = null;
                        for (int i = 0; i < depth; i++) head = new Chain { Value = i, Next = head };
                        return RpcSerializer.Serialize(head);
                    }
                    public static object? ReadChain(byte[] bytes) => RpcSerializer.Deserialize<Chain>(bytes);
                    public static byte[] V1() => RpcSerializer.Serialize(new VersionCheckV1 { Prop1 = 1, Prop2 = 2 });
                    public static byte[] V2() => RpcSerializer.Serialize(new VersionCheckV2 { Prop1 = 1, Prop2 = 2, AddedProp = 3, AddedName = "x" });
                    public static string ReadAsV2(byte[] b) { var v = RpcSerializer.Deserialize<VersionCheckV2>(b)!; return $"{v.Prop1},{v.Prop2},{v.AddedProp?.ToString() ?? "null"},{v.AddedName ?? "null"}"; }
                    public static object? ReadAsV1(byte[] b) => RpcSerializer.Deserialize<VersionCheckV1>(b);
                    public static string DefaultsFromV1() { var v = RpcSerializer.Deserialize<WithDefaults>(RpcSerializer.Serialize(new WithDefaultsV1 { A = 5 }))!; return $"{v.A},{v.B},{v.C}"; }
                    public static byte[] Cycle() { var a = new Chain(); a.Next = a; return RpcSerializer.Serialize(a); }
                }
            }
            """));
        Assert.Empty(diagnostics);
        Assert.Empty(TestCompilation.CompilationProblems(output));
        return TestCompilation.EmitAndLoad(output);
    });

    private static object? Call(string name, params object?[] args)
    {
        try
        {
            return s_types.Value.GetType("Behaviour.Api")!.GetMethod(name)!.Invoke(null, args);
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    [Fact]
    public void A_payload_nested_deeper_than_MaxDepth_is_rejected_without_a_stack_overflow()
    {
        // 100,000 nested "one member" headers, then a value: far deeper than any stack allows without a limit.
        var bytes = new List<byte>();
        for (int i = 0; i < 100_000; i++)
        {
            bytes.AddRange(new byte[] { 0x02, 0, 0, 0, 0 });
        }
        bytes.Add(0xff);
        var error = Assert.Throws<RpcSerializationException>(() => Call("ReadChain", bytes.ToArray()));
        Assert.Contains("MaxDepth", error.Message);
    }

    [Fact]
    public void A_chain_within_MaxDepth_round_trips()
    {
        byte[] bytes = (byte[])Call("Chain", 60)!;
        Assert.NotNull(Call("ReadChain", bytes));
    }

    [Fact]
    public void A_cyclic_graph_without_CircularReference_is_rejected_on_writing()
    {
        var error = Assert.Throws<RpcSerializationException>(() => Call("Cycle"));
        Assert.Contains("CircularReference", error.Message);
    }

    [Fact]
    public void An_older_payload_leaves_appended_members_default()
    {
        Assert.Equal("1,2,null,null", Call("ReadAsV2", (byte[])Call("V1")!));
    }

    [Fact]
    public void A_newer_payload_with_more_members_is_rejected_by_an_older_type()
    {
        var error = Assert.Throws<RpcSerializationException>(() => Call("ReadAsV1", (byte[])Call("V2")!));
        Assert.Contains("newer version", error.Message);
    }

    [Fact]
    public void SuppressDefaultInitialization_keeps_the_initializer_value_of_a_missing_member()
    {
        Assert.Equal("5,42,0", Call("DefaultsFromV1"));
    }

    [Fact]
    public void A_lone_surrogate_cannot_be_written_as_UTF8_but_survives_UTF16()
    {
        Assert.Throws<RpcSerializationException>(() => RpcSerializer.Serialize("a\uD800b"));
        byte[] utf16 = RpcSerializer.Serialize("a\uD800b", RpcSerializerOptions.Utf16);
        Assert.Equal("a\uD800b", RpcSerializer.Deserialize<string>(utf16));
    }

    [Fact]
    public void A_string_length_larger_than_the_payload_is_rejected_before_allocating()
    {
        byte[] lying = [0xff, 0xff, 0xff, 0x7f, 0x41];
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<RpcSerializationException>(() => RpcSerializer.Deserialize<string>(lying));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4096);
    }

    // A UTF-8 string on the wire: int32 ~byteCount, int32 UTF-16 length, then the bytes.
    private static byte[] Utf8String(int utf16Length, params byte[] bytes)
    {
        var payload = new byte[8 + bytes.Length];
        BitConverter.GetBytes(~bytes.Length).CopyTo(payload, 0);
        BitConverter.GetBytes(utf16Length).CopyTo(payload, 4);
        bytes.CopyTo(payload, 8);
        return payload;
    }

    [Fact]
    public void A_UTF8_string_decodes_ASCII_and_multibyte_text_to_its_header_length()
    {
        Assert.Equal("héllo €𝄞", RpcSerializer.Deserialize<string>(RpcSerializer.Serialize("héllo €𝄞")));
        Assert.Equal("AB", RpcSerializer.Deserialize<string>(Utf8String(2, 0x41, 0x42)));
    }

    [Fact]
    public void A_UTF8_string_whose_header_counts_more_or_fewer_chars_than_its_bytes_make_is_rejected()
    {
        var fewer = Assert.Throws<RpcSerializationException>(() => RpcSerializer.Deserialize<string>(Utf8String(2, 0x41, 0x42, 0x43)));
        Assert.Contains("more than 2", fewer.Message);
        var more = Assert.Throws<RpcSerializationException>(() => RpcSerializer.Deserialize<string>(Utf8String(3, 0xC3, 0xA9, 0x41)));
        Assert.Contains("decodes to 2 chars", more.Message);
    }

    [Fact]
    public void Invalid_UTF8_bytes_decode_to_replacement_characters_as_Encoding_UTF8_does()
    {
        byte[] invalid = [0x41, 0xFF, 0xC3, 0x42, 0xE2, 0x82];
        string expected = System.Text.Encoding.UTF8.GetString(invalid);
        Assert.Equal("A\uFFFD\uFFFDB\uFFFD", expected);
        Assert.Equal(expected, RpcSerializer.Deserialize<string>(Utf8String(expected.Length, invalid)));
    }

    [Fact]
    public void An_array_count_larger_than_the_payload_is_rejected_before_allocating()
    {
        byte[] lying = [0xff, 0xff, 0xff, 0x0f, 1, 2, 3, 4];
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<RpcSerializationException>(() => RpcSerializer.Deserialize<byte[]>(lying));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4096);
    }

    [Fact]
    public void Serializing_to_a_reused_buffer_writer_allocates_nothing_for_a_byte_array_and_a_string()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        byte[] numbers = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        for (int i = 0; i < 10; i++)
        {
            buffer.ResetWrittenCount();
            RpcSerializer.Serialize(buffer, numbers);
            RpcSerializer.Serialize(buffer, "hello, world");
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            buffer.ResetWrittenCount();
            RpcSerializer.Serialize(buffer, numbers);
            RpcSerializer.Serialize(buffer, "hello, world");
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
