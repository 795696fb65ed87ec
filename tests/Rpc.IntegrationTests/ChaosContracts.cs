using System.Runtime.CompilerServices;
using Rpc;

namespace Rpc.IntegrationTests;

/// <summary>Calls of every shape whose payloads can be checked byte for byte at the other end.</summary>
[RpcService]
public interface IChaosService
{
    ValueTask<byte[]> EchoAsync(byte[] payload);

    /// <summary>Streams <paramref name="count"/> chunks of <see cref="ChaosPayload.Make"/>(<paramref name="seed"/> + i, <paramref name="size"/>).</summary>
    IAsyncEnumerable<byte[]> DownloadAsync(int count, int size, int seed, CancellationToken cancellationToken = default);

    /// <summary>Returns the <see cref="ChaosPayload.Checksum"/> of the chunks in order.</summary>
    Task<long> UploadAsync(IAsyncEnumerable<byte[]> chunks, CancellationToken cancellationToken = default);

    IAsyncEnumerable<byte[]> EchoStreamAsync(IAsyncEnumerable<byte[]> chunks, CancellationToken cancellationToken = default);
}

public sealed class ChaosService : IChaosService
{
    public ValueTask<byte[]> EchoAsync(byte[] payload) => ValueTask.FromResult(payload);

    public async IAsyncEnumerable<byte[]> DownloadAsync(int count, int size, int seed, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < count; i++)
        {
            yield return ChaosPayload.Make(seed + i, size);
            await Task.Yield();
        }
    }

    public async Task<long> UploadAsync(IAsyncEnumerable<byte[]> chunks, CancellationToken cancellationToken = default)
    {
        long checksum = ChaosPayload.EmptyChecksum;
        await foreach (byte[] chunk in chunks.WithCancellation(cancellationToken))
        {
            checksum = ChaosPayload.Checksum(checksum, chunk);
        }
        return checksum;
    }

    public async IAsyncEnumerable<byte[]> EchoStreamAsync(IAsyncEnumerable<byte[]> chunks, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (byte[] chunk in chunks.WithCancellation(cancellationToken))
        {
            yield return chunk;
        }
    }
}

/// <summary>Payloads both ends can make from a seed, and an order-sensitive checksum (FNV-1a) of chunks.</summary>
public static class ChaosPayload
{
    public const long EmptyChecksum = unchecked((long)14695981039346656037UL);

    public static byte[] Make(int seed, int size)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static long Checksum(long checksum, byte[] chunk)
    {
        unchecked
        {
            foreach (byte b in chunk)
            {
                checksum = (checksum ^ b) * 1099511628211L;
            }
            // The length too: chunks [a][bc] and [ab][c] must differ.
            return (checksum ^ chunk.Length) * 1099511628211L;
        }
    }
}
