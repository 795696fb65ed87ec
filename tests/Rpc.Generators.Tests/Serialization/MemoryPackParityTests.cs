using Rpc.Generators.Tests.Infrastructure;
using Rpc.Serialization;

namespace Rpc.Generators.Tests.Serialization;

/// <summary>
/// The differences a differential test against the real MemoryPack found (issue 23), each pinned to MemoryPack's
/// behaviour: stack order, deleted version-tolerant members, default segments, IEnumerable read as an array,
/// zeroed padding, and shapes MemoryPack accepts (long tuples, generic messages with List&lt;T&gt;, version-tolerant
/// types in declaration order).
/// </summary>
public sealed class MemoryPackParityTests
{
    private static readonly Lazy<System.Reflection.Assembly> s_types = new(() =>
    {
        var (_, output, diagnostics) = TestCompilation.RunGenerator(TestCompilation.Create("""
            #nullable enable
            using System;
            using System.Collections.Generic;
            using Rpc.Serialization;
            namespace Parity
            {
                [RpcMessage(GenerateType.VersionTolerant)] public partial class VtFull { [RpcOrder(0)] public int A { get; set; } [RpcOrder(1)] public long B { get; set; } [RpcOrder(2)] public int C { get; set; } }
                [RpcMessage(GenerateType.VersionTolerant)] public partial class VtDeleted { [RpcOrder(0)] public int A { get; set; } [RpcOrder(2)] public int C { get; set; } }
                [RpcMessage(GenerateType.VersionTolerant)] public partial class VtKeeps { [RpcOrder(0)] public int A { get; set; } [RpcOrder(1), SuppressDefaultInitialization] public long B { get; set; } = 42; [RpcOrder(2)] public int C { get; set; } }
                [RpcMessage(GenerateType.CircularReference)] public partial class CrFull { [RpcOrder(0)] public int A { get; set; } [RpcOrder(1)] public string? B { get; set; } [RpcOrder(2)] public int C { get; set; } }
                [RpcMessage(GenerateType.CircularReference)] public partial class CrDeleted { [RpcOrder(0)] public int A { get; set; } [RpcOrder(2)] public int C { get; set; } }
                [RpcMessage(GenerateType.VersionTolerant, SerializeLayout.Sequential)] public partial class VtSequential { public int A { get; set; } public string? B { get; set; } }
                [RpcMessage(GenerateType.VersionTolerant)] public partial class VtPadded { [RpcOrder(0)] public int? N { get; set; } [RpcOrder(1)] public DateTimeOffset When { get; set; } }
                [RpcMessage(GenerateType.VersionTolerant)] public partial class VtDirty { [RpcOrder(0)] public long[] Fill { get; set; } = Array.Empty<long>(); }
                public class Padded { public int? N { get; set; } public DateTimeOffset When { get; set; } }
                public class Segments { public ArraySegment<int> Ints { get; set; } public Memory<string?> Words { get; set; } public ReadOnlyMemory<byte> Bytes { get; set; } }
                public class Lazy { public IEnumerable<int>? Numbers { get; set; } public IEnumerable<string>? Words { get; set; } }
                [RpcMessage] public partial class Box<T> { public List<T>? Items { get; set; } public T[]? Array { get; set; } public Dictionary<string, T>? ByName { get; set; } }
                public static class Api
                {
                    public static string Stack(int[] items) => Convert.ToHexString(RpcSerializer.Serialize(new Stack<int>(items)));
                    public static string StackOfStrings() => Convert.ToHexString(RpcSerializer.Serialize(new Stack<string>(new[] { "a", "b" })));
                    public static string StackRoundTrip() => string.Join(",", RpcSerializer.Deserialize<Stack<string>>(RpcSerializer.Serialize(new Stack<string>(new[] { "bottom", "top" })))!);
                    public static string ReadStack(byte[] bytes) => string.Join(",", RpcSerializer.Deserialize<Stack<int>>(bytes)!);
                    public static string DeletedAsFull() { var v = RpcSerializer.Deserialize<VtFull>(RpcSerializer.Serialize(new VtDeleted { A = 1, C = 3 }))!; return $"{v.A},{v.B},{v.C}"; }
                    public static string DeletedKeepsInitializer() { var v = RpcSerializer.Deserialize<VtKeeps>(RpcSerializer.Serialize(new VtDeleted { A = 1, C = 3 }))!; return $"{v.A},{v.B},{v.C}"; }
                    public static string DeletedBytes() => Convert.ToHexString(RpcSerializer.Serialize(new VtDeleted { A = 1, C = 3 }));
                    public static string CircularDeletedAsFull() { var v = RpcSerializer.Deserialize<CrFull>(RpcSerializer.Serialize(new CrDeleted { A = 1, C = 3 }))!; return $"{v.A},{v.B ?? "null"},{v.C}"; }
                    public static string Sequential() => Convert.ToHexString(RpcSerializer.Serialize(new VtSequential { A = 1, B = "x" }));
                    public static string SequentialRoundTrip() { var v = RpcSerializer.Deserialize<VtSequential>(RpcSerializer.Serialize(new VtSequential { A = 7, B = "y" }))!; return $"{v.A},{v.B}"; }
                    public static string DefaultSegments() => Convert.ToHexString(RpcSerializer.Serialize(new Segments()));
                    public static string DefaultSegmentAlone() => Convert.ToHexString(RpcSerializer.Serialize(default(ArraySegment<string>)));
                    public static string EnumerableTypes()
                    {
                        var v = RpcSerializer.Deserialize<Lazy>(RpcSerializer.Serialize(new Lazy { Numbers = new List<int> { 1, 2 }, Words = new HashSet<string> { "w" } }))!;
                        return v.Numbers!.GetType().Name + "," + v.Words!.GetType().Name + "," + string.Join("", v.Numbers!) + string.Join("", v.Words!);
                    }
                    public static string Padding()
                    {
                        // Fill this thread's scratch buffers with 0xFF bytes first: the padding must not show them.
                        RpcSerializer.Serialize(new VtDirty { Fill = new long[64] { -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1 } });
                        var when = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(9));
                        return Convert.ToHexString(RpcSerializer.Serialize(new VtPadded { N = 5, When = when }));
                    }
                    public static string Rewrite(byte[] bytes) => Convert.ToHexString(RpcSerializer.Serialize(RpcSerializer.Deserialize<VtPadded>(bytes)));
                    public static string RewriteDateTimeOffset(byte[] bytes) => Convert.ToHexString(RpcSerializer.Serialize(RpcSerializer.Deserialize<DateTimeOffset>(bytes)));
                    public static int ReadCube(byte[] bytes) => RpcSerializer.Deserialize<int[,,]>(bytes)!.Length;
                    public static string PaddingOfObject()
                    {
                        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
                        buffer.GetSpan(256).Fill(0xFF);
                        RpcSerializer.Serialize(buffer, new Padded { N = null, When = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(9)) });
                        return Convert.ToHexString(buffer.WrittenSpan);
                    }
                    public static string LongTuple()
                    {
                        var value = (1, "two", 3, 4, 5, 6, 7, "eight");
                        byte[] bytes = RpcSerializer.Serialize(value);
                        var back = RpcSerializer.Deserialize<(int, string, int, int, int, int, int, string)>(bytes);
                        return back + "|" + Convert.ToHexString(bytes);
                    }
                    public static string LongerTuple()
                    {
                        var value = Tuple.Create(1, 2, 3, 4, 5, 6, 7, "eight");
                        var back = RpcSerializer.Deserialize<Tuple<int, int, int, int, int, int, int, Tuple<string>>>(RpcSerializer.Serialize(value))!;
                        return back.ToString();
                    }
                    public static string GenericBox()
                    {
                        var box = new Box<int> { Items = new List<int> { 1, 2 }, Array = new[] { 3 }, ByName = new Dictionary<string, int> { ["x"] = 4 } };
                        var back = RpcSerializer.Deserialize<Box<int>>(RpcSerializer.Serialize(box))!;
                        return string.Join(",", back.Items!) + "|" + back.Array![0] + "|" + back.ByName!["x"];
                    }
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
            return s_types.Value.GetType("Parity.Api")!.GetMethod(name)!.Invoke(null, args);
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    [Fact]
    public void A_stack_is_written_bottom_first_as_MemoryPack_writes_it()
    {
        // new Stack<int>([1, 2, 3]) pushes 1 first: 1 is the bottom, 3 the top.
        Assert.Equal("03000000" + "01000000" + "02000000" + "03000000", Call("Stack", new[] { 1, 2, 3 }));
        Assert.Equal("02000000" + "FEFFFFFF0100000061" + "FEFFFFFF0100000062", Call("StackOfStrings"));
    }

    [Fact]
    public void A_stack_written_bottom_first_reads_back_with_the_same_top()
    {
        Assert.Equal("top,bottom", Call("StackRoundTrip"));
        // MemoryPack's bytes for a stack with 1 at the bottom and 2 on top: popping gives 2 first.
        Assert.Equal("2,1", Call("ReadStack", Convert.FromHexString("020000000100000002000000")));
    }

    [Fact]
    public void A_version_tolerant_member_deleted_in_the_newer_type_reads_as_its_default()
    {
        // Slot 1 (B) is gone in VtDeleted: its length is 0, and the older type reads B as 0.
        Assert.Equal("03" + "04" + "00" + "04" + "01000000" + "03000000", Call("DeletedBytes"));
        Assert.Equal("1,0,3", Call("DeletedAsFull"));
    }

    [Fact]
    public void A_deleted_version_tolerant_member_with_SuppressDefaultInitialization_keeps_its_initializer() =>
        Assert.Equal("1,42,3", Call("DeletedKeepsInitializer"));

    [Fact]
    public void A_circular_reference_member_deleted_in_the_newer_type_reads_as_its_default() =>
        Assert.Equal("1,null,3", Call("CircularDeletedAsFull"));

    [Fact]
    public void VersionTolerant_with_a_sequential_layout_numbers_slots_in_declaration_order()
    {
        // Two slots (4 bytes, 9 bytes), then 1 and the UTF-8 "x"; no [RpcOrder] needed.
        Assert.Equal("02" + "04" + "09" + "01000000" + "FEFFFFFF0100000078", Call("Sequential"));
        Assert.Equal("7,y", Call("SequentialRoundTrip"));
    }

    [Fact]
    public void A_default_ArraySegment_Memory_and_ReadOnlyMemory_are_written_as_empty_not_null()
    {
        Assert.Equal("03" + "00000000" + "00000000" + "00000000", Call("DefaultSegments"));
        Assert.Equal("00000000", Call("DefaultSegmentAlone"));
    }

    [Fact]
    public void A_member_typed_IEnumerable_reads_back_as_an_array() =>
        Assert.Equal("Int32[],String[],12w", Call("EnumerableTypes"));

    [Fact]
    public void Padding_of_nullable_and_DateTimeOffset_members_is_zeroed_in_version_tolerant_types()
    {
        // Optimized code (tier 1) may store a struct field by field, leaving the padding as the scratch buffer held
        // it: run long enough for the JIT to get there.
        // int? 5: hasValue, 3 zero bytes, 5. DateTimeOffset: 16 raw bytes with 4 zero bytes of padding (the dto_plus9 vector).
        string expected = "02" + "08" + "10"
            + "01000000" + "05000000"
            + "1C020000000000008018D80AF40ADC08";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; clock.ElapsedMilliseconds < 1500; i++)
        {
            Assert.Equal(expected, Call("Padding"));
        }
    }

    [Fact]
    public void A_nullable_read_with_stale_padding_is_written_back_with_zero_padding()
    {
        // The bytes another writer may send: padding 0xFF after the has-value byte.
        byte[] stale = Convert.FromHexString("02" + "08" + "10" + "01FFFFFF05000000" + "1C020000000000008018D80AF40ADC08");
        Assert.Equal("02" + "08" + "10" + "0100000005000000" + "1C020000000000008018D80AF40ADC08", Call("Rewrite", stale));
    }

    [Fact]
    public void A_DateTimeOffset_read_with_stale_padding_is_written_back_with_zero_padding()
    {
        // The dto_plus9 vector with 0xFF in its 4 padding bytes, as a member and alone.
        byte[] stale = Convert.FromHexString("02" + "08" + "10" + "0100000005000000" + "1C020000FFFFFFFF8018D80AF40ADC08");
        Assert.Equal("02" + "08" + "10" + "0100000005000000" + "1C020000000000008018D80AF40ADC08", Call("Rewrite", stale));
        Assert.Equal("1C020000000000008018D80AF40ADC08", Call("RewriteDateTimeOffset", Convert.FromHexString("1C020000FFFFFFFF8018D80AF40ADC08")));
    }

    [Fact]
    public void Padding_of_raw_struct_members_is_zeroed_in_an_output_buffer_that_held_other_bytes()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; clock.ElapsedMilliseconds < 1500; i++)
        {
            Assert.Equal("02" + "0000000000000000" + "1C020000000000008018D80AF40ADC08", Call("PaddingOfObject"));
        }
    }

    [Fact]
    public void A_multidimensional_array_with_a_zero_length_after_two_huge_ones_is_refused_without_an_OutOfMemoryException()
    {
        // Header 4, lengths 2^30, 2^30, 0, total 0: the product is 0, but the runtime cannot make such an array.
        byte[] hostile = Convert.FromHexString("04" + "00000040" + "00000040" + "00000000" + "00000000");
        Assert.Throws<RpcSerializationException>(() => Call("ReadCube", hostile));
        Assert.Equal(0, Call("ReadCube", Convert.FromHexString("04" + "00000000" + "00000040" + "00000040" + "00000000")));
    }

    [Fact]
    public void A_value_tuple_of_eight_items_holding_references_round_trips_with_no_headers()
    {
        string expected = "(1, two, 3, 4, 5, 6, 7, eight)|" + "01000000" + "FCFFFFFF0300000074776F"
            + "03000000" + "04000000" + "05000000" + "06000000" + "07000000" + "FAFFFFFF050000006569676874";
        Assert.Equal(expected, Call("LongTuple"));
    }

    [Fact]
    public void A_tuple_of_eight_items_round_trips() => Assert.Equal("(1, 2, 3, 4, 5, 6, 7, eight)", Call("LongerTuple"));

    [Fact]
    public void A_generic_message_with_List_of_T_members_compiles_and_round_trips_when_closed() =>
        Assert.Equal("1,2|3|4", Call("GenericBox"));
}
