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

    // A key's first calls must find the ring that later calls find: connecting waits for every instance.
    internal override bool SettlesEveryInstanceOnConnect => true;

    protected internal override RpcPicker CreatePicker(IReadOnlyList<RpcPickCandidate> candidates, RpcPicker? previous) => new Ring(candidates);

    private sealed class Ring : RpcPicker
    {
        private readonly ulong[] _points;
        private readonly int[] _owners;
        private readonly RpcPickCandidate[] _candidates;
        private readonly WeightTable _weights;

        public Ring(IReadOnlyList<RpcPickCandidate> candidates)
        {
            _candidates = [.. candidates];
            _weights = new WeightTable(_candidates);
            int total = 0;
            foreach (RpcPickCandidate candidate in _candidates)
            {
                total += Nodes(candidate);
            }
            // Two arrays sorted together: no tuple list, no comparison delegate (a ring of 10,000 instances has 1.6
            // million points, built on every change of the set).
            _points = new ulong[total];
            _owners = new int[total];
            int next = 0;
            for (int i = 0; i < _candidates.Length; i++)
            {
                int nodes = Nodes(_candidates[i]);
                ulong idHash = Absorb(Absorb(Seed, _candidates[i].Instance.Id), "#");
                for (int n = 0; n < nodes; n++)
                {
                    _points[next] = PointHash(idHash, n);
                    _owners[next] = i;
                    next++;
                }
            }
            Array.Sort(_points, _owners);
        }

        private static int Nodes(RpcPickCandidate candidate) => Math.Max(1, (int)((long)candidate.Instance.Weight * NodesPerHundredWeight / 100));

        public override int Pick(string? hashKey)
        {
            if (hashKey is null)
            {
                return _weights.Draw();
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
    internal static ulong Hash(string text) => Finish(Absorb(Seed, text));

    private const ulong Seed = 14695981039346656037UL;

    private static ulong Absorb(ulong hash, string text)
    {
        foreach (char c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return hash;
    }

    // Hash(id + "#" + n) without building the string: the digits of n absorbed after the id's state.
    private static ulong PointHash(ulong idHash, int n)
    {
        Span<char> digits = stackalloc char[11];
        n.TryFormat(digits, out int written, default, System.Globalization.CultureInfo.InvariantCulture);
        ulong hash = idHash;
        foreach (char c in digits.Slice(0, written))
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return Finish(hash);
    }

    private static ulong Finish(ulong hash)
    {
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash;
    }
}
