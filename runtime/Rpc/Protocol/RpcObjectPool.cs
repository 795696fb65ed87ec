using System;
using System.Threading;

namespace Rpc.Protocol;

/// <summary>
/// A bounded pool of reusable objects: a stack behind a lock, O(1) either way. What does not fit is left to the
/// garbage collector, so a burst of concurrent calls costs allocations, never unbounded memory. A pool that is the
/// only one for its type can put a small per-thread stack in front (<see cref="RpcObjectPool{T}(int, bool)"/>):
/// most objects are rented and returned on the same thread (a connection's reading thread runs a whole batch of
/// calls), and those then take no lock at all.
/// </summary>
internal sealed class RpcObjectPool<T> where T : class
{
    // Enough for a whole read's batch of calls at a typical concurrency.
    private const int PerThreadCapacity = 64;

    // One per thread and type: only pools that are the single pool of their type may use it.
    [ThreadStatic]
    private static T?[]? t_items;

    [ThreadStatic]
    private static int t_count;

    private readonly T[] _items;
    private readonly Lock _lock = new();
    private readonly bool _perThread;
    private int _count;

    /// <param name="capacity">The most objects the shared stack keeps.</param>
    /// <param name="perThreadCache">
    /// True to keep up to 64 objects per thread in front of the shared stack; only for the one pool of type
    /// <typeparamref name="T"/> in the process (the per-thread stack is per type).
    /// </param>
    public RpcObjectPool(int capacity, bool perThreadCache = false)
    {
        _items = new T[capacity];
        _perThread = perThreadCache;
    }

    public T? TryRent()
    {
        if (_perThread)
        {
            T?[]? local = t_items;
            int count = t_count;
            if (local is not null && count > 0)
            {
                t_count = --count;
                T item = local[count]!;
                local[count] = null;
                return item;
            }
        }
        lock (_lock)
        {
            if (_count == 0)
            {
                return null;
            }
            T item = _items[--_count];
            _items[_count] = null!;
            return item;
        }
    }

    public void Return(T item)
    {
        if (_perThread)
        {
            T?[] local = t_items ??= new T?[PerThreadCapacity];
            int count = t_count;
            if (count < local.Length)
            {
                local[count] = item;
                t_count = count + 1;
                return;
            }
        }
        lock (_lock)
        {
            if (_count < _items.Length)
            {
                _items[_count++] = item;
            }
        }
    }
}

/// <summary>Pool sizes.</summary>
internal static class RpcObjectPool
{
    /// <summary>The capacity of the per-call pools: enough for hundreds of calls in flight without allocating.</summary>
    public const int CallCapacity = 1024;
}
