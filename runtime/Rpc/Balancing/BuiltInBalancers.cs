using System;
using System.Collections.Generic;
using System.Threading;

namespace Rpc.Balancing;

internal sealed class PowerOfTwoChoicesBalancer : RpcLoadBalancer
{
    protected internal override RpcPicker CreatePicker(IReadOnlyList<RpcPickCandidate> candidates, RpcPicker? previous) => new Picker(candidates);

    private sealed class Picker : RpcPicker
    {
        private readonly RpcPickCandidate[] _candidates;

        public Picker(IReadOnlyList<RpcPickCandidate> candidates) => _candidates = [.. candidates];

        public override int Pick(string? hashKey)
        {
            if (_candidates.Length == 1)
            {
                return 0;
            }
            int a = WeightedDraw.Pick(_candidates);
            int b = WeightedDraw.Pick(_candidates);
            if (a == b)
            {
                return a;
            }
            // Fewer calls in flight per unit of weight wins: (inFlightA + 1) / weightA < (inFlightB + 1) / weightB.
            RpcPickCandidate first = _candidates[a];
            RpcPickCandidate second = _candidates[b];
            long left = (long)(first.CallsInFlight + 1) * second.Weight;
            long right = (long)(second.CallsInFlight + 1) * first.Weight;
            return left <= right ? a : b;
        }
    }
}

internal sealed class RandomBalancer : RpcLoadBalancer
{
    protected internal override RpcPicker CreatePicker(IReadOnlyList<RpcPickCandidate> candidates, RpcPicker? previous) => new Picker(candidates);

    private sealed class Picker : RpcPicker
    {
        private readonly RpcPickCandidate[] _candidates;

        public Picker(IReadOnlyList<RpcPickCandidate> candidates) => _candidates = [.. candidates];

        public override int Pick(string? hashKey) => WeightedDraw.Pick(_candidates);
    }
}

internal sealed class PickFirstBalancer : RpcLoadBalancer
{
    private static readonly RpcPicker s_first = new First();

    protected internal override RpcPicker CreatePicker(IReadOnlyList<RpcPickCandidate> candidates, RpcPicker? previous) => s_first;

    private sealed class First : RpcPicker
    {
        public override int Pick(string? hashKey) => 0;
    }
}

/// <summary>
/// Smooth weighted round robin: each pick adds every instance's weight to its running score, takes the highest and
/// subtracts the total from it. Scores are kept by instance id across pickers, so a change of weights or of the set
/// continues the sequence instead of restarting it (no burst on the first instance after every change).
/// </summary>
internal sealed class RoundRobinBalancer : RpcLoadBalancer
{
    protected internal override RpcPicker CreatePicker(IReadOnlyList<RpcPickCandidate> candidates, RpcPicker? previous) =>
        new Picker(candidates, previous as Picker);

    private sealed class Picker : RpcPicker
    {
        private readonly RpcPickCandidate[] _candidates;
        private readonly long[] _scores;
        private readonly Lock _lock = new();

        public Picker(IReadOnlyList<RpcPickCandidate> candidates, Picker? previous)
        {
            _candidates = [.. candidates];
            _scores = new long[_candidates.Length];
            if (previous is not null)
            {
                lock (previous._lock)
                {
                    for (int i = 0; i < _candidates.Length; i++)
                    {
                        for (int j = 0; j < previous._candidates.Length; j++)
                        {
                            if (previous._candidates[j].Instance.Id == _candidates[i].Instance.Id)
                            {
                                _scores[i] = previous._scores[j];
                                break;
                            }
                        }
                    }
                }
            }
        }

        public override int Pick(string? hashKey)
        {
            lock (_lock)
            {
                long total = 0;
                int best = 0;
                for (int i = 0; i < _candidates.Length; i++)
                {
                    int weight = _candidates[i].Weight;
                    total += weight;
                    _scores[i] += weight;
                    if (_scores[i] > _scores[best])
                    {
                        best = i;
                    }
                }
                _scores[best] -= total;
                return best;
            }
        }
    }
}

/// <summary>A draw by weight over live weights (slow start changes them); no allocation.</summary>
internal static class WeightedDraw
{
    public static int Pick(RpcPickCandidate[] candidates)
    {
        long total = 0;
        foreach (RpcPickCandidate candidate in candidates)
        {
            total += candidate.Weight;
        }
        long draw = System.Random.Shared.NextInt64(total);
        for (int i = 0; i < candidates.Length; i++)
        {
            draw -= candidates[i].Weight;
            if (draw < 0)
            {
                return i;
            }
        }
        return candidates.Length - 1;
    }
}
