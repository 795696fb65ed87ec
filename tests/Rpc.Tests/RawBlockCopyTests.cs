using System;
using System.Linq;
using System.Buffers;
using Rpc.Serialization;
using Rpc.Serialization.Formatters;
using Xunit;

namespace Rpc.Tests;

/// <summary>The raw-block copy that writes arrays and lists of unmanaged values, alone and through the serializer.</summary>
public sealed class RawBlockCopyTests
{
    // Around both size limits of the vector path, and sizes that leave every kind of tail.
    public static TheoryData<int> Lengths => new() { 0, 1, 63, 1023, 1024, 1025, 1087, 1100, 4096, 16_000, 16_004, 65_549, 262_143, 262_144, 262_145, 300_001 };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Copies_every_byte_at_every_destination_alignment_and_touches_nothing_around_the_block(int length)
    {
        byte[] source = new byte[length];
        new Random(length).NextBytes(source);
        for (int offset = 0; offset < 64; offset += length > 20_000 ? 13 : 1)
        {
            byte[] destination = new byte[offset + length + 64];
            destination.AsSpan().Fill(0xEE);
            if (length > 0)
            {
                RawBlockCopy.Copy(ref destination[offset], ref source[0], length);
            }
            Assert.True(destination.AsSpan(offset, length).SequenceEqual(source), $"block differs at offset {offset}");
            Assert.DoesNotContain(destination.AsSpan(0, offset).ToArray(), b => b != 0xEE);
            Assert.DoesNotContain(destination.AsSpan(offset + length).ToArray(), b => b != 0xEE);
        }
    }

    [Theory]
    [InlineData(4096, 4)]
    [InlineData(4096, -4)]
    [InlineData(4096, 100)]
    [InlineData(4096, -4095)]
    [InlineData(16_000, 33)]
    public void Overlapping_blocks_copy_as_memmove_copies_them(int length, int shift)
    {
        byte[] buffer = new byte[length + Math.Abs(shift) + 128];
        new Random(shift).NextBytes(buffer);
        byte[] expected = (byte[])buffer.Clone();
        int from = 64 + Math.Max(0, -shift);
        int to = from + shift;
        expected.AsSpan(from, length).CopyTo(expected.AsSpan(to, length));

        RawBlockCopy.Copy(ref buffer[to], ref buffer[from], length);

        Assert.Equal(expected, buffer);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void An_unmanaged_array_written_to_a_buffer_writer_has_the_same_bytes_as_one_written_to_an_array(int length)
    {
        RpcFormatterProvider.TryRegister(new ArrayFormatter<Sample>());
        Sample[] samples = Enumerable.Range(0, length / 8).Select(i => new Sample { A = i, B = -i * 3 }).ToArray();
        byte[] bytes = Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();

        AssertSameBytes(samples);
        AssertSameBytes(bytes);
        AssertSameBytes<Sample[]>(null);
        AssertSameBytes<byte[]>(null);
        Assert.Equal(samples, RpcSerializer.Deserialize<Sample[]>(WriteAfterPrefix(samples).AsSpan(3)));
    }

    [Fact]
    public void A_buffer_writer_that_gives_less_than_asked_fails_with_a_serialization_exception()
    {
        var stingy = new StingyBufferWriter(16);
        var exception = Assert.Throws<RpcSerializationException>(() => RpcSerializer.Serialize(stingy, new byte[100]));
        Assert.Contains("104 bytes", exception.Message);
        Assert.Equal(0, stingy.Advanced);
    }

    private static void AssertSameBytes<T>(T? value)
    {
        byte[] expected = RpcSerializer.Serialize(value);
        byte[] written = WriteAfterPrefix(value);
        Assert.Equal(new byte[] { 1, 2, 3 }, written[..3]);
        Assert.Equal(expected, written[3..]);
    }

    // Writes after three bytes already in the writer, so the block lands at an odd offset of the writer's buffer.
    private static byte[] WriteAfterPrefix<T>(T? value)
    {
        var buffer = new ArrayBufferWriter<byte>(16);
        buffer.Write(new byte[] { 1, 2, 3 });
        RpcSerializer.Serialize(buffer, value);
        return buffer.WrittenSpan.ToArray();
    }

    private struct Sample
    {
        public int A;
        public int B;
    }

    private sealed class StingyBufferWriter(int size) : IBufferWriter<byte>
    {
        public int Advanced { get; private set; }

        public void Advance(int count) => Advanced += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => new byte[size];

        public Span<byte> GetSpan(int sizeHint = 0) => new byte[size];
    }
}
