using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Rpc.Protocol;

/// <summary>
/// A bounded pool of reusable objects: a stack behind a lock, O(1) either way. What does not fit is left to the
/// garbage collector, so a burst of concurrent calls costs allocations, never unbounded memory. A pool can put a
/// small per-thread stack in front (<see cref="RpcObjectPool{T}(int, bool)"/>): most objects are rented and
/// returned on the same thread (a connection's reading thread runs a whole batch of calls), and those then take no
/// lock at all.
/// </summary>
internal sealed class RpcObjectPool<T> where T : class
{
    private readonly T[] _items;
    private readonly Lock _lock = new();

    // This pool's stack in each thread's RpcThreadStacks; -1 without a per-thread stack.
    private readonly int _threadSlot;
    private int _count;

    /// <param name="capacity">The most objects the shared stack keeps.</param>
    /// <param name="perThreadCache">True to keep up to <see cref="RpcThreadStacks.Capacity"/> objects per thread in front of the shared stack.</param>
    public RpcObjectPool(int capacity, bool perThreadCache = false)
    {
        _items = new T[capacity];
        _threadSlot = perThreadCache ? RpcThreadStacks.AllocateSlot() : -1;
    }

    public T? TryRent()
    {
        if (_threadSlot >= 0 && RpcThreadStacks.TryPop(_threadSlot) is { } local)
        {
            // Only this pool pushes to its slot, and only T.
            return Unsafe.As<T>(local);
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
        if (_threadSlot >= 0 && RpcThreadStacks.TryPush(_threadSlot, item))
        {
            return;
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
