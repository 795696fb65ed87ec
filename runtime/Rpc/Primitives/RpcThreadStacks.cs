using System;
using System.Threading;

namespace Rpc.Protocol;

/// <summary>
/// The per-thread stacks in front of <see cref="RpcObjectPool{T}"/>s: each pool that wants one gets a slot, and
/// each thread one array of stacks indexed by slot. One non-generic thread-static holds them all because a
/// thread-static of a generic type is looked up through the runtime on every access, which costs more than the
/// lock-free pop it is meant to save.
/// </summary>
internal static class RpcThreadStacks
{
    /// <summary>
    /// How many objects a thread keeps per pool: a whole read's batch of calls (a 16 KiB read holds some 250 small
    /// requests), which rents one object per call before any of them is returned. Beyond it, objects go through the
    /// pool's lock.
    /// </summary>
    public const int Capacity = 256;

    private static int s_slots;

    [ThreadStatic]
    private static Stack?[]? t_stacks;

    /// <summary>A slot for a new pool.</summary>
    public static int AllocateSlot() => Interlocked.Increment(ref s_slots) - 1;

    /// <summary>The top object of this thread's stack for <paramref name="slot"/>, or null when it is empty.</summary>
    public static object? TryPop(int slot)
    {
        Stack?[]? stacks = t_stacks;
        if (stacks is null || (uint)slot >= (uint)stacks.Length || stacks[slot] is not { } stack)
        {
            return null;
        }
        int count = stack.Count;
        if (count == 0)
        {
            return null;
        }
        stack.Count = --count;
        object? item = stack.Items[count].Value;
        stack.Items[count].Value = null;
        return item;
    }

    /// <summary>Keeps <paramref name="item"/> on this thread's stack for <paramref name="slot"/>; false when that stack is full.</summary>
    public static bool TryPush(int slot, object item)
    {
        Stack?[]? stacks = t_stacks;
        if (stacks is null || (uint)slot >= (uint)stacks.Length)
        {
            stacks = Grow(slot);
        }
        Stack stack = stacks[slot] ??= new Stack();
        int count = stack.Count;
        if (count >= Capacity)
        {
            return false;
        }
        stack.Items[count].Value = item;
        stack.Count = count + 1;
        return true;
    }

    private static Stack?[] Grow(int slot)
    {
        Stack?[]? stacks = t_stacks;
        var grown = new Stack?[Math.Max(slot + 1, Math.Max(8, (stacks?.Length ?? 0) * 2))];
        stacks?.CopyTo(grown, 0);
        t_stacks = grown;
        return grown;
    }

    private sealed class Stack
    {
        // Entries are structs so that storing an object needs no covariant array-store check.
        public readonly Entry[] Items = new Entry[Capacity];
        public int Count;
    }

    private struct Entry
    {
        public object? Value;
    }
}
