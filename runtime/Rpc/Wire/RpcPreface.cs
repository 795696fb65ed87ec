using System;
using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Threading;
using System.Threading.Tasks;

namespace Rpc.Protocol;

/// <summary>
/// The 8 bytes each side sends before any frame: ASCII <c>RPC!</c>, uint16 version, uint16 flags (little-endian).
/// </summary>
internal static class RpcPreface
{
    public const int Size = 8;
    public const ushort Version = 1;

    private static ReadOnlySpan<byte> Magic => "RPC!"u8;

    /// <summary>Writes the preface into <paramref name="output"/>; the caller flushes.</summary>
    public static void Write(PipeWriter output)
    {
        Span<byte> span = output.GetSpan(Size);
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span.Slice(4), Version);
        BinaryPrimitives.WriteUInt16LittleEndian(span.Slice(6), 0);
        output.Advance(Size);
    }

    /// <summary>True when <paramref name="preface"/> is a preface this version speaks. Flags are reserved and ignored.</summary>
    public static bool IsValid(ReadOnlySpan<byte> preface) =>
        preface.Length >= Size
        && preface.Slice(0, 4).SequenceEqual(Magic)
        && BinaryPrimitives.ReadUInt16LittleEndian(preface.Slice(4)) == Version;

    /// <summary>
    /// Reads the peer's preface and consumes exactly its 8 bytes, leaving any frames behind it in the pipe.
    /// False when the bytes are wrong or the peer closed first; throws <see cref="OperationCanceledException"/>
    /// when <paramref name="cancellationToken"/> fires.
    /// </summary>
    public static async ValueTask<bool> ReadAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (buffer.Length >= Size)
            {
                bool valid = Check(buffer.Slice(0, Size));
                input.AdvanceTo(buffer.GetPosition(Size));
                return valid;
            }
            // A wrong first byte is wrong whatever follows: refuse without waiting for the rest.
            bool plausible = Check(buffer, prefixOnly: true);
            input.AdvanceTo(buffer.Start, buffer.End);
            if (!plausible || result.IsCompleted || result.IsCanceled)
            {
                return false;
            }
        }
    }

    private static bool Check(ReadOnlySequence<byte> bytes, bool prefixOnly = false)
    {
        Span<byte> copy = stackalloc byte[Size];
        int length = (int)Math.Min(bytes.Length, Size);
        bytes.Slice(0, length).CopyTo(copy);
        if (prefixOnly)
        {
            int magicLength = Math.Min(length, 4);
            return copy.Slice(0, magicLength).SequenceEqual(Magic.Slice(0, magicLength));
        }
        return IsValid(copy);
    }
}
