namespace Rpc.Protocol;

/// <summary>
/// A bounded pool of reusable objects: a stack behind a lock, O(1) either way (uncontended locks cost a few
/// nanoseconds, and on a handful of cores they beat scanning). What does not fit is left to the garbage collector,
/// so a burst of concurrent calls costs allocations, never unbounded memory.
/// </summary>
internal sealed class RpcObjectPool<T> where T : class
{
    private readonly T[] _items;
    private int _count;

    public RpcObjectPool(int capacity) => _items = new T[capacity];

    public T? TryRent()
    {
        lock (_items)
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
        lock (_items)
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
