using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Rpc.Protocol;
using Xunit;

namespace Rpc.Tests;

public sealed class CallTableTests
{
    [Fact]
    public void Calls_are_found_and_removed_by_id_and_only_once()
    {
        var table = new RpcCallTable<string>();
        Assert.True(table.TryAdd(1, "one"));
        Assert.True(table.TryAdd(2, "two"));

        Assert.Equal("one", table.Find(1));
        Assert.Null(table.Find(3));
        Assert.Equal("one", table.Remove(1));
        Assert.Null(table.Remove(1));
        Assert.Null(table.Find(1));
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void A_duplicate_id_is_refused_whether_it_sits_in_a_slot_or_in_the_overflow()
    {
        var table = new RpcCallTable<string>();
        Assert.True(table.TryAdd(5, "slot"));
        Assert.False(table.TryAdd(5, "again"));

        // 5 + 32 shares 5's slot while the table is too empty to grow: it goes to the overflow.
        Assert.True(table.TryAdd(37, "overflow"));
        Assert.Equal("slot", table.Remove(5));
        // The slot is free now, but 37 is still in the table.
        Assert.False(table.TryAdd(37, "again"));
        Assert.Equal("overflow", table.Find(37));
        Assert.Equal("overflow", table.Remove(37));
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void A_call_is_taken_out_by_id_only_while_that_id_still_holds_it()
    {
        var table = new RpcCallTable<string>();
        string first = "first", later = "later";
        Assert.True(table.TryAdd(7, first));
        Assert.False(table.Remove(7, later));
        Assert.True(table.Remove(7, first));
        Assert.False(table.Remove(7, first));

        // The same object back under a new id: the old id no longer finds it.
        Assert.True(table.TryAdd(8, first));
        Assert.False(table.Remove(7, first));
        Assert.True(table.Remove(8, first));
    }

    [Fact]
    public void Calls_above_an_id_are_taken_out_from_the_slots_and_the_overflow_alike()
    {
        var table = new RpcCallTable<string>();
        Assert.Null(table.RemoveAbove(0));
        Assert.True(table.TryAdd(3, "three"));
        Assert.True(table.TryAdd(35, "thirty-five"));   // 3's slot: the overflow
        Assert.True(table.TryAdd(4, "four"));
        Assert.True(table.TryAdd(36, "thirty-six"));     // 4's slot: the overflow

        Assert.Equal(new[] { "thirty-five", "thirty-six" }, table.RemoveAbove(4)!.OrderBy(call => call, StringComparer.Ordinal));
        Assert.Equal(2, table.Count);
        Assert.Equal("three", table.Find(3));
        Assert.Equal(new[] { "four" }, table.RemoveAbove(3));
        Assert.Null(table.RemoveAbove(3));
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void Sequential_ids_far_beyond_the_initial_slots_all_stay_findable()
    {
        var table = new RpcCallTable<object>();
        var calls = new Dictionary<uint, object>();
        for (uint id = 1; id <= 3000; id++)
        {
            var call = new object();
            calls.Add(id, call);
            Assert.True(table.TryAdd(id, call));
        }
        Assert.Equal(3000, table.Count);
        foreach ((uint id, object call) in calls)
        {
            Assert.Same(call, table.Find(id));
        }
        Assert.Equal(calls.Keys.OrderBy(id => id), table.ToList().Select(entry => entry.Key).OrderBy(id => id));
        foreach ((uint id, object call) in calls)
        {
            Assert.Same(call, table.Remove(id));
        }
        Assert.Equal(0, table.Count);
        Assert.Empty(table.ToList());
    }

    [Fact]
    public void A_long_lived_call_survives_ids_wrapping_around_its_slot()
    {
        var table = new RpcCallTable<string>();
        Assert.True(table.TryAdd(1, "long-lived"));
        // Thousands of short calls after it, a few in flight at a time, reuse its slot's position over and over.
        for (uint id = 2; id < 20_000; id++)
        {
            Assert.True(table.TryAdd(id, "short"));
            if (id > 4)
            {
                Assert.Equal("short", table.Remove(id - 3));
            }
        }
        Assert.Equal("long-lived", table.Find(1));
        Assert.Equal(4, table.Count);
        Assert.Equal("long-lived", table.Remove(1));
    }

    [Fact]
    public void Ids_a_peer_chooses_at_random_behave_like_a_dictionary()
    {
        var random = new Random(7);
        var table = new RpcCallTable<string>();
        var expected = new Dictionary<uint, string>();
        for (int i = 0; i < 20_000; i++)
        {
            uint id = (uint)random.Next(1, 5000);
            if (random.Next(3) == 0)
            {
                expected.Remove(id, out string? removed);
                Assert.Equal(removed, table.Remove(id));
            }
            else
            {
                Assert.Equal(expected.TryAdd(id, "call " + id), table.TryAdd(id, "call " + id));
            }
            Assert.Equal(expected.Count, table.Count);
        }
        foreach ((uint id, string call) in expected)
        {
            Assert.Equal(call, table.Find(id));
        }
        table.Clear();
        Assert.Equal(0, table.Count);
        Assert.Null(table.Find(expected.Keys.First()));
    }
}

public sealed class ObjectPoolTests
{
    private sealed class Item
    {
    }

    [Fact]
    public void Objects_returned_on_a_thread_come_back_on_that_thread_and_the_shared_stack_takes_the_rest()
    {
        var pool = new RpcObjectPool<Item>(capacity: 4, perThreadCache: true);
        Assert.Null(pool.TryRent());

        var items = Enumerable.Range(0, RpcThreadStacks.Capacity + 2).Select(_ => new Item()).ToList();
        foreach (Item item in items)
        {
            pool.Return(item);
        }
        // The last two went to the shared stack, which any thread can rent from.
        Item? fromOtherThread = null;
        var other = new Thread(() => fromOtherThread = pool.TryRent());
        other.Start();
        other.Join();
        Assert.Same(items[^1], fromOtherThread);

        var rented = new HashSet<Item>();
        while (pool.TryRent() is { } item)
        {
            Assert.True(rented.Add(item));
        }
        Assert.Equal(items.Count - 1, rented.Count);
    }

    [Fact]
    public void Pools_of_one_type_keep_their_objects_apart()
    {
        var first = new RpcObjectPool<Item>(capacity: 4, perThreadCache: true);
        var second = new RpcObjectPool<Item>(capacity: 4, perThreadCache: true);
        var item = new Item();
        first.Return(item);
        Assert.Null(second.TryRent());
        Assert.Same(item, first.TryRent());
    }
}
