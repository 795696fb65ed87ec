using System;
using System.Collections.Generic;

namespace Rpc.Serialization;

/// <summary>
/// Per-thread scratch buffers for formatters that must write a value before they know its length
/// (version-tolerant and circular-reference layouts). Nested values rent nested buffers.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class RpcScratchBuffers
{
    private const int MaxPooledPerThread = 8;

    [ThreadStatic]
    private static Stack<PooledBufferWriter>? t_pool;

    /// <summary>Rents an empty buffer; give it back with <see cref="Return"/>.</summary>
    public static PooledBufferWriter Rent()
    {
        Stack<PooledBufferWriter>? pool = t_pool;
        return pool is { Count: > 0 } ? pool.Pop() : new PooledBufferWriter();
    }

    /// <summary>Returns a buffer rented from <see cref="Rent"/>.</summary>
    public static void Return(PooledBufferWriter buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        buffer.Reset();
        Stack<PooledBufferWriter> pool = t_pool ??= new Stack<PooledBufferWriter>();
        if (pool.Count < MaxPooledPerThread)
        {
            pool.Push(buffer);
        }
        else
        {
            buffer.Dispose();
        }
    }
}
