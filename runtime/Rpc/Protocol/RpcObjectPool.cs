using System.Threading;

namespace Rpc.Protocol;

/// <summary>
/// A small lock-free pool of reusable objects. It holds a bounded number of items; what does not fit is left to
/// the garbage collector, so a burst of concurrent calls costs allocations, never unbounded memory.
/// </summary>
internal sealed class RpcObjectPool<T> where T : class
{
    private readonly T?[] _items;
    private T? _fast;

    public RpcObjectPool(int size) => _items = new T?[size];

    public T? TryRent()
    {
        T? item = _fast;
        if (item is not null && Interlocked.CompareExchange(ref _fast, null, item) == item)
        {
            return item;
        }
        T?[] items = _items;
        for (int i = 0; i < items.Length; i++)
        {
            item = items[i];
            if (item is not null && Interlocked.CompareExchange(ref items[i], null, item) == item)
            {
                return item;
            }
        }
        return null;
    }

    public void Return(T item)
    {
        if (_fast is null && Interlocked.CompareExchange(ref _fast, item, null) is null)
        {
            return;
        }
        T?[] items = _items;
        for (int i = 0; i < items.Length; i++)
        {
            if (items[i] is null && Interlocked.CompareExchange(ref items[i], item, null) is null)
            {
                return;
            }
        }
    }
}
