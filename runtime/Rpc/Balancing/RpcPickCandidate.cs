using System;
using Rpc.Client;
using Rpc.Discovery;

namespace Rpc;

/// <summary>An instance a picker may choose: what the registry says of it, and live figures from its connection.</summary>
public sealed class RpcPickCandidate
{
    private readonly long _slowStartMs;

    internal RpcPickCandidate(RpcServiceInstance instance, RpcSubchannel subchannel, TimeSpan slowStartWindow)
    {
        Instance = instance;
        Subchannel = subchannel;
        _slowStartMs = (long)slowStartWindow.TotalMilliseconds;
    }

    /// <summary>The instance as the registry lists it.</summary>
    public RpcServiceInstance Instance { get; }

    /// <summary>
    /// The weight to use now: the instance's <see cref="RpcServiceInstance.Weight"/>, ramped up from a tenth over
    /// <see cref="RpcClientOptions.SlowStartWindow"/> after its connection became Ready.
    /// </summary>
    public int Weight
    {
        get
        {
            int weight = Instance.Weight;
            if (_slowStartMs > 0)
            {
                long age = Environment.TickCount64 - Subchannel.ReadySinceTick;
                if (age < _slowStartMs)
                {
                    return Math.Max(1, (int)(weight * (0.1 + 0.9 * age / _slowStartMs)));
                }
            }
            return weight;
        }
    }

    /// <summary>When this candidate's slow start ends (Environment.TickCount64); 0 without slow start.</summary>
    internal long SlowStartEndsTick => _slowStartMs > 0 ? Subchannel.ReadySinceTick + _slowStartMs : 0;

    /// <summary>Calls waiting for a response on this instance's connections now (a racy read).</summary>
    public int CallsInFlight => Subchannel.CallsInFlight;

    internal RpcSubchannel Subchannel { get; }
}
