using System;
using System.Collections.Generic;

namespace Rpc.Balancing;

/// <summary>
/// A hash ring: each instance owns <see cref="NodesPerHundredWeight"/> points per 100 of weight, hashed from its id,
/// so the ring depends only on the set of instances and is the same in every client. Built once per set.
/// </summary>
internal sealed class ConsistentHashBalancer : RpcLoadBalancer
{
    public const int NodesPerHundredWeight = 160;

    protected internal override RpcPicker CreatePicker(IReadOnlyList<RpcPickCandidate> candidates, RpcPicker? previous) => new Ring(candidates);

    private sealed class Ring : RpcPicker
    {
        private readonly ulong[] _points;
        private readonly int[] _owners;
        private readonly RpcPickCandidate[] _candidates;

        public Ring(IReadOnlyList<RpcPickCandidate> candidates)
        {
            _candidates = [.. candidates];
            var points = new List<(ulong Point, int Owner)>();
            for (int i = 0; i < _candidates.Length; i++)
            {
                int nodes = Math.Max(1, (int)((long)_candidates[i].Instance.Weight * NodesPerHundredWeight / 100));
                string id = _candidates[i].Instance.Id;
                for (int n = 0; n < nodes; n++)
                {
                    points.Add((Hash(id + "#" + n), i));
                }
            }
            points.Sort(static (a, b) => a.Point.CompareTo(b.Point));
            _points = new ulong[points.Count];
            _owners = new int[points.Count];
            for (int i = 0; i < points.Count; i++)
            {
                _points[i] = points[i].Point;
                _owners[i] = points[i].Owner;
            }
        }

        public override int Pick(string? hashKey)
        {
            if (hashKey is null)
            {
                return WeightedDraw.Pick(_candidates);
            }
            ulong hash = Hash(hashKey);
            int index = Array.BinarySearch(_points, hash);
            if (index < 0)
            {
                index = ~index;
                if (index == _points.Length)
                {
                    index = 0;
                }
            }
            return _owners[index];
        }
    }

    // 64-bit FNV-1a over UTF-16 code units, then a finalizer (murmur's fmix64) to spread nearby keys over the ring.
    internal static ulong Hash(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash;
    }
}
