using System;
using System.Buffers;

namespace Rpc.Protocol;

/// <summary>
/// Frame buffers. Most frames are small and are often rented on one thread (a caller) and returned on another (the
/// thread that sends them), which drains <see cref="ArrayPool{T}.Shared"/>'s per-core stacks under load; small
/// arrays therefore come from a pool of their own (with per-thread caches). Larger ones use the shared array pool.
/// </summary>
internal static class RpcBufferPool
{
    /// <summary>The size of a small buffer: a frame header and a typical unary payload.</summary>
    public const int SmallSize = 512;

    private static readonly RpcObjectPool<byte[]> s_small = new(RpcObjectPool.CallCapacity, perThreadCache: true);

    /// <summary>An array of at least <paramref name="minimumLength"/> bytes.</summary>
    public static byte[] Rent(int minimumLength) =>
        minimumLength <= SmallSize
            ? s_small.TryRent() ?? new byte[SmallSize]
            : ArrayPool<byte>.Shared.Rent(minimumLength);

    /// <summary>Gives back an array from <see cref="Rent"/>.</summary>
    public static void Return(byte[] array)
    {
        if (array.Length == SmallSize)
        {
            s_small.Return(array);
        }
        else
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
