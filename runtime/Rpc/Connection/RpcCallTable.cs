using System;
using System.Collections.Generic;

namespace Rpc.Protocol;

/// <summary>
/// A connection's calls by call id. Call ids are handed out in sequence, so the calls in flight at any time have
/// ids in a narrow window: each call lives in the slot <c>id % slots</c>, an array index instead of a hash lookup.
/// A call whose slot is taken (a long-lived call from a wrap-around ago) goes to an overflow dictionary, and the
/// slots double while they are more than half full (up to <see cref="MaxSlots"/>), so ids chosen by a peer that
/// does not count in sequence still cost no more than a dictionary. Not thread-safe: the owner's lock guards it.
/// </summary>
internal sealed class RpcCallTable<T> where T : class
{
    private const int InitialSlots = 32;
    private const int MaxSlots = 4096;

    private Entry[] _slots = new Entry[InitialSlots];
    private Dictionary<uint, T>? _overflow;
    private int _inSlots;

    /// <summary>The number of calls in the table.</summary>
    public int Count => _inSlots + (_overflow?.Count ?? 0);

    /// <summary>Adds a call; false when <paramref name="callId"/> is in the table already.</summary>
    public bool TryAdd(uint callId, T call)
    {
        ref Entry slot = ref _slots[callId & (uint)(_slots.Length - 1)];
        if (slot.Call is null)
        {
            if (_overflow is { Count: > 0 } overflow && overflow.ContainsKey(callId))
            {
                return false;
            }
            slot = new Entry(callId, call);
            _inSlots++;
            return true;
        }
        if (slot.CallId == callId)
        {
            return false;
        }
        if (_inSlots * 2 >= _slots.Length && _slots.Length < MaxSlots)
        {
            Grow();
            return TryAdd(callId, call);
        }
        return (_overflow ??= new Dictionary<uint, T>()).TryAdd(callId, call);
    }

    /// <summary>The call with <paramref name="callId"/>, or null.</summary>
    public T? Find(uint callId)
    {
        Entry slot = _slots[callId & (uint)(_slots.Length - 1)];
        if (slot.CallId == callId && slot.Call is not null)
        {
            return slot.Call;
        }
        return _overflow is { Count: > 0 } overflow && overflow.TryGetValue(callId, out T? call) ? call : null;
    }

    /// <summary>Takes the call with <paramref name="callId"/> out of the table; null when it is not there.</summary>
    public T? Remove(uint callId)
    {
        ref Entry slot = ref _slots[callId & (uint)(_slots.Length - 1)];
        if (slot.CallId == callId && slot.Call is { } call)
        {
            slot = default;
            _inSlots--;
            return call;
        }
        return _overflow is { Count: > 0 } overflow && overflow.Remove(callId, out T? removed) ? removed : null;
    }

    /// <summary>
    /// Takes the call with <paramref name="callId"/> out of the table only if it is <paramref name="call"/> (a pooled
    /// call object may carry a later call by now); false when it is not there.
    /// </summary>
    public bool Remove(uint callId, T call)
    {
        if (Find(callId) != call)
        {
            return false;
        }
        Remove(callId);
        return true;
    }

    /// <summary>Takes every call with an id above <paramref name="callId"/> out of the table; null when there is none.</summary>
    public List<T>? RemoveAbove(uint callId)
    {
        List<T>? removed = null;
        for (int i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].Call is { } call && _slots[i].CallId > callId)
            {
                (removed ??= new List<T>()).Add(call);
                _slots[i] = default;
                _inSlots--;
            }
        }
        if (_overflow is { Count: > 0 } overflow)
        {
            foreach (KeyValuePair<uint, T> entry in new List<KeyValuePair<uint, T>>(overflow))
            {
                if (entry.Key > callId)
                {
                    overflow.Remove(entry.Key);
                    (removed ??= new List<T>()).Add(entry.Value);
                }
            }
        }
        return removed;
    }

    /// <summary>Every call in the table, with its id.</summary>
    public List<KeyValuePair<uint, T>> ToList()
    {
        var all = new List<KeyValuePair<uint, T>>(Count);
        foreach (Entry slot in _slots)
        {
            if (slot.Call is not null)
            {
                all.Add(new KeyValuePair<uint, T>(slot.CallId, slot.Call));
            }
        }
        if (_overflow is not null)
        {
            all.AddRange(_overflow);
        }
        return all;
    }

    /// <summary>Empties the table.</summary>
    public void Clear()
    {
        Array.Clear(_slots);
        _inSlots = 0;
        _overflow?.Clear();
    }

    private void Grow()
    {
        Entry[] old = _slots;
        _slots = new Entry[old.Length * 2];
        _inSlots = 0;
        Dictionary<uint, T>? overflow = _overflow;
        _overflow = null;
        foreach (Entry slot in old)
        {
            if (slot.Call is not null)
            {
                Place(slot.CallId, slot.Call);
            }
        }
        if (overflow is not null)
        {
            foreach (KeyValuePair<uint, T> entry in overflow)
            {
                Place(entry.Key, entry.Value);
            }
        }
    }

    // Re-adds a call known not to be in the table, without growing.
    private void Place(uint callId, T call)
    {
        ref Entry slot = ref _slots[callId & (uint)(_slots.Length - 1)];
        if (slot.Call is null)
        {
            slot = new Entry(callId, call);
            _inSlots++;
        }
        else
        {
            (_overflow ??= new Dictionary<uint, T>()).Add(callId, call);
        }
    }

    private readonly struct Entry
    {
        public Entry(uint callId, T call)
        {
            CallId = callId;
            Call = call;
        }

        public uint CallId { get; }

        public T? Call { get; }
    }
}
