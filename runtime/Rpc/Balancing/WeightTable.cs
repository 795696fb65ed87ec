using System;
using System.Threading;

namespace Rpc.Balancing;

/// <summary>
/// A weighted draw over one set of candidates in O(log n), or O(1) when the weights are equal: cumulative weights
/// computed when the picker is made, searched per pick. While an instance ramps up (slow start) its weight changes
/// with the clock, so the table is then recomputed from the live weights at most every <see cref="RefreshMs"/> ms
/// (by whichever pick finds it stale) until the last ramp ends; a pick itself allocates nothing.
/// </summary>
internal sealed class WeightTable
{
    private const long RefreshMs = 50;

    private readonly RpcPickCandidate[] _candidates;
    // When the last candidate's slow start ends (Environment.TickCount64); 0 when none was ramping.
    private readonly long _rampEndsTick;
    private Table _table;

    public WeightTable(RpcPickCandidate[] candidates)
    {
        _candidates = candidates;
        long now = Environment.TickCount64;
        foreach (RpcPickCandidate candidate in candidates)
        {
            if (candidate.SlowStartEndsTick > now)
            {
                _rampEndsTick = Math.Max(_rampEndsTick, candidate.SlowStartEndsTick);
            }
        }
        _table = Build(now);
    }

    /// <summary>True when every weight is the same and stays so (no ramp): a draw is then uniform.</summary>
    public bool IsUniform
    {
        get
        {
            Table table = Current();
            return table.Uniform && table.ValidUntilTick == long.MaxValue;
        }
    }

    /// <summary>An index drawn with probability proportional to its candidate's weight.</summary>
    public int Draw()
    {
        Table table = Current();
        long[] cumulative = table.Cumulative;
        if (table.Uniform)
        {
            return Random.Shared.Next(cumulative.Length);
        }
        long draw = Random.Shared.NextInt64(table.Total);
        // The first index whose running total exceeds the draw.
        int low = 0;
        int high = cumulative.Length - 1;
        while (low < high)
        {
            int middle = (int)((uint)(low + high) >> 1);
            if (cumulative[middle] > draw)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }
        return low;
    }

    private Table Current()
    {
        Table table = Volatile.Read(ref _table);
        if (table.ValidUntilTick != long.MaxValue)
        {
            long now = Environment.TickCount64;
            if (now >= table.ValidUntilTick)
            {
                // Concurrent picks may both rebuild; either table is right.
                table = Build(now);
                Volatile.Write(ref _table, table);
            }
        }
        return table;
    }

    private Table Build(long now)
    {
        bool ramping = _rampEndsTick > now;
        var cumulative = new long[_candidates.Length];
        long total = 0;
        bool uniform = true;
        int first = 0;
        for (int i = 0; i < _candidates.Length; i++)
        {
            int weight = ramping ? _candidates[i].Weight : _candidates[i].Instance.Weight;
            if (i == 0)
            {
                first = weight;
            }
            uniform &= weight == first;
            total += weight;
            cumulative[i] = total;
        }
        return new Table(cumulative, total, uniform, ramping ? Math.Min(now + RefreshMs, _rampEndsTick) : long.MaxValue);
    }

    private sealed record Table(long[] Cumulative, long Total, bool Uniform, long ValidUntilTick);
}
