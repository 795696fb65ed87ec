using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Discovery;

namespace Rpc.Client;

/// <summary>
/// A client of every instance of one service: watches the registry, keeps one <see cref="RpcSubchannel"/> per
/// instance (each with its own state and reconnects), and republishes an immutable snapshot of the Ready ones with
/// their <see cref="RpcPicker"/> whenever the set or a connection's state changes, so that a call's pick reads one
/// field and allocates nothing. An instance that drains (GoAway) leaves the snapshot at once; one the registry drops
/// finishes its calls in flight before its connections close. An instance whose connections keep dropping under
/// calls is ejected from the snapshot for a while (<see cref="RpcOutlierDetection"/>), and a retry goes to another
/// instance than the one that failed when another is Ready.
/// </summary>
internal sealed class RpcBalancedChannel : RpcConnectionSource
{
    // How long an instance the registry dropped may keep its calls in flight before its connections close.
    private static readonly TimeSpan s_retireGrace = TimeSpan.FromSeconds(30);

    private readonly string _serviceName;
    private readonly IRpcServiceRegistry _registry;
    private readonly RpcClientSettings _settings;
    private readonly RpcLoadBalancer _balancer;
    private readonly object _lock = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    // The live entries by their subchannel's endpoint object (a connection's RemoteEndPoint is that very object):
    // how a failed call finds its instance.
    private readonly Dictionary<EndPoint, Entry> _byEndPoint = new(ReferenceEqualityComparer.Instance);
    private readonly RpcOutlierState.Policy? _outliers;
    private readonly List<Task> _retiring = new();
    private Snapshot _snapshot = Snapshot.Empty;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _listed;
    private int _rebuildQueued;
    private bool _disposed;
    private Task _watch = Task.CompletedTask;

    public RpcBalancedChannel(string serviceName, IRpcServiceRegistry registry, RpcClientSettings settings)
    {
        _serviceName = serviceName;
        _registry = registry;
        _settings = settings;
        _balancer = settings.Options.LoadBalancer;
        if (settings.Options.OutlierDetection is { } outliers)
        {
            _outliers = new RpcOutlierState.Policy(outliers);
        }
    }

    /// <summary>The instances known now, for tests.</summary>
    public IReadOnlyList<RpcServiceInstance> Instances
    {
        get
        {
            lock (_lock)
            {
                var instances = new List<RpcServiceInstance>();
                foreach (Entry entry in _entries.Values)
                {
                    instances.Add(entry.Instance);
                }
                return instances;
            }
        }
    }

    /// <summary>How many instances are in the pick snapshot now, for tests.</summary>
    public int ReadyInstances => Volatile.Read(ref _snapshot).Candidates.Length;

    /// <summary>The ids of the instances ejected now, for tests.</summary>
    public IReadOnlyList<string> EjectedInstances
    {
        get
        {
            lock (_lock)
            {
                long now = Environment.TickCount64;
                var ejected = new List<string>();
                foreach (Entry entry in _entries.Values)
                {
                    if (entry.Outlier.IsEjected(now))
                    {
                        ejected.Add(entry.Instance.Id);
                    }
                }
                return ejected;
            }
        }
    }

    /// <summary>
    /// Starts watching and completes once one instance is Ready (or fails after the connect timeout); for a balancer
    /// that asks for it, once every listed instance has settled, Ready or failed, within the same timeout.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _watch = WatchAsync();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_settings.Options.ConnectTimeout);
        try
        {
            await WaitForReadyAsync(waitForReady: true, null, null, null, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RpcException(RpcStatusCode.Unavailable,
                $"No instance of {_serviceName} became Ready within {_settings.Options.ConnectTimeout} ({DescribeInstances()}).");
        }
        if (_balancer.SettlesEveryInstanceOnConnect)
        {
            try
            {
                await WaitUntilEveryInstanceSettledAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // One instance is Ready: the client is usable, and the slow ones join the set when they connect.
            }
        }
    }

    private async Task WaitUntilEveryInstanceSettledAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                changed = _changed.Task;
                bool connecting = false;
                int ready = 0;
                foreach (Entry entry in _entries.Values)
                {
                    connecting |= entry.IsConnecting;
                    ready += entry.IsCandidate ? 1 : 0;
                }
                // Settled: nothing still connecting, and the published set (rebuilt off this thread) holds every Ready one.
                if (_disposed || (!connecting && _snapshot.Candidates.Length >= ready))
                {
                    return;
                }
            }
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override RpcConnectionState State
    {
        get
        {
            lock (_lock)
            {
                if (_disposed)
                {
                    return RpcConnectionState.Shutdown;
                }
                if (_snapshot.Candidates.Length > 0)
                {
                    return RpcConnectionState.Ready;
                }
                bool anyConnecting = !_listed;
                foreach (Entry entry in _entries.Values)
                {
                    anyConnecting |= entry.IsConnecting;
                }
                return anyConnecting ? RpcConnectionState.Connecting : _entries.Count == 0 ? RpcConnectionState.Idle : RpcConnectionState.TransientFailure;
            }
        }
    }

    public override RpcClientConnection? Pick(RpcClientCallContext? context, string? hashKey) => Pick(context, hashKey, avoid: null);

    // avoid: the endpoint of the instance a retry should not go back to when the snapshot holds another.
    private RpcClientConnection? Pick(RpcClientCallContext? context, string? hashKey, EndPoint? avoid)
    {
        Snapshot snapshot = Volatile.Read(ref _snapshot);
        RpcPickCandidate[] candidates = snapshot.Candidates;
        if (candidates.Length == 0)
        {
            return null;
        }
        // The scope's explicit key wins over the call's [RpcHashKey] argument.
        hashKey = context?.CallOptions?.HashKey ?? hashKey;
        int index = snapshot.Picker!.Pick(hashKey);
        if ((uint)index >= (uint)candidates.Length)
        {
            return null;
        }
        if (avoid is not null && candidates.Length > 1 && ReferenceEquals(candidates[index].Subchannel.EndPoint, avoid))
        {
            // Failover: ask the picker once more (a random draw likely lands elsewhere, round robin moves on), and
            // take the next instance in the snapshot when it insists (a hash key, PickFirst).
            index = snapshot.Picker.Pick(hashKey);
            if ((uint)index >= (uint)candidates.Length || ReferenceEquals(candidates[index].Subchannel.EndPoint, avoid))
            {
                index = (IndexOf(candidates, avoid) + 1) % candidates.Length;
            }
        }
        return candidates[index].Subchannel.ReadyConnection is { IsDraining: false } connection ? connection : null;
    }

    private static int IndexOf(RpcPickCandidate[] candidates, EndPoint endPoint)
    {
        for (int i = 0; i < candidates.Length; i++)
        {
            if (ReferenceEquals(candidates[i].Subchannel.EndPoint, endPoint))
            {
                return i;
            }
        }
        return -1;
    }

    public override ValueTask<RpcClientConnection> WaitForReadyAsync(RpcClientCallContext? context, string? hashKey, RpcMethodDescriptor method, CancellationToken cancellationToken) =>
        WaitForReadyAsync(context?.CallOptions?.WaitForReady ?? false, context, hashKey, null, cancellationToken);

    public override ValueTask<RpcClientConnection> WaitForRetryAsync(RpcClientCallContext? context, string? hashKey, RpcMethodDescriptor method, RpcClientConnection? failedOn, CancellationToken cancellationToken) =>
        WaitForReadyAsync(context?.CallOptions?.WaitForReady ?? false, context, hashKey, failedOn?.RemoteEndPoint, cancellationToken);

    private async ValueTask<RpcClientConnection> WaitForReadyAsync(bool waitForReady, RpcClientCallContext? context, string? hashKey, EndPoint? avoid, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (Pick(context, hashKey, avoid) is { } connection)
            {
                return connection;
            }
            Task changed;
            lock (_lock)
            {
                changed = _changed.Task;
            }
            RpcConnectionState state = State;
            if (state == RpcConnectionState.Shutdown)
            {
                throw new RpcException(RpcStatusCode.Unavailable, "The client was disposed.");
            }
            if (state == RpcConnectionState.Ready)
            {
                // The snapshot moved under the pick: pick again.
                await Task.Yield();
                continue;
            }
            if (!waitForReady && state is RpcConnectionState.TransientFailure or RpcConnectionState.Idle)
            {
                throw new RpcException(RpcStatusCode.Unavailable, $"No instance of {_serviceName} is Ready ({DescribeInstances()}); set RpcCallOptions.WaitForReady to wait.");
            }
            if (!await WaitForChangeAsync(changed, context?.Deadline, cancellationToken).ConfigureAwait(false))
            {
                throw new RpcException(RpcStatusCode.DeadlineExceeded, $"The deadline of the call to {context!.Method} passed while waiting for an instance of {_serviceName}.");
            }
        }
    }

    private string DescribeInstances()
    {
        lock (_lock)
        {
            if (!_listed)
            {
                return "the registry has not answered yet";
            }
            if (_entries.Count == 0)
            {
                return "the registry lists none";
            }
            var states = new List<string>();
            foreach (Entry entry in _entries.Values)
            {
                states.Add($"{entry.Instance.Id}: {entry.Subchannel.State}");
            }
            return string.Join(", ", states);
        }
    }

    private async Task WatchAsync()
    {
        await Task.Yield();
        CancellationToken shutdown = _shutdown.Token;
        while (!shutdown.IsCancellationRequested)
        {
            try
            {
                await foreach (IReadOnlyList<RpcServiceInstance> instances in _registry.WatchAsync(_serviceName, shutdown).ConfigureAwait(false))
                {
                    Reconcile(instances);
                }
            }
            catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The registry failed: keep the instances we know (never drop them because the registry blinked)
                // and watch again shortly.
                Diagnostics.RpcLog.DiscoveryFailed(_settings.Options.Logger, _serviceName, ex);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), shutdown).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Reconcile(IReadOnlyList<RpcServiceInstance> instances)
    {
        var added = new List<RpcSubchannel>();
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _listed = true;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (RpcServiceInstance instance in instances)
            {
                if (!seen.Add(instance.Id))
                {
                    continue;
                }
                if (_entries.TryGetValue(instance.Id, out Entry? entry))
                {
                    if (!Equals(entry.Instance.EndPoint, instance.EndPoint))
                    {
                        // Same id, new address: a new connection.
                        Retire(entry);
                        _entries[instance.Id] = Add(instance, added);
                    }
                    else
                    {
                        entry.Instance = instance;
                    }
                }
                else
                {
                    _entries[instance.Id] = Add(instance, added);
                }
            }
            var removed = new List<string>();
            foreach (KeyValuePair<string, Entry> pair in _entries)
            {
                if (!seen.Contains(pair.Key))
                {
                    removed.Add(pair.Key);
                }
            }
            foreach (string id in removed)
            {
                Retire(_entries[id]);
                _entries.Remove(id);
            }
        }
        foreach (RpcSubchannel subchannel in added)
        {
            subchannel.RequestConnection();
        }
        Rebuild();
    }

    private Entry Add(RpcServiceInstance instance, List<RpcSubchannel> added)
    {
        var subchannel = new RpcSubchannel(instance.EndPoint, _settings);
        subchannel.StateChanged += (_, _) => RequestRebuild();
        added.Add(subchannel);
        var entry = new Entry(instance, subchannel);
        _byEndPoint[subchannel.EndPoint] = entry;
        return entry;
    }

    // Called under the lock: the instance takes no new calls; its connections close once its calls are done.
    private void Retire(Entry entry)
    {
        entry.Retired = true;
        _byEndPoint.Remove(entry.Subchannel.EndPoint);
        _retiring.Add(RetireAsync(entry.Subchannel));
    }

    private static async Task RetireAsync(RpcSubchannel subchannel)
    {
        var waited = Stopwatch.StartNew();
        while (subchannel.AllCallsInFlight > 0 && waited.Elapsed < s_retireGrace)
        {
            await Task.Delay(50).ConfigureAwait(false);
        }
        await subchannel.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// A call failed because its connection dropped: counts against the connection's instance, and ejects it from
    /// the snapshot once its streak reaches the threshold, unless the most instances allowed are out already.
    /// </summary>
    public override void OnTransportFailure(RpcClientConnection connection)
    {
        if (_outliers is not { } policy)
        {
            return;
        }
        TimeSpan ejection;
        CancellationToken shutdown;
        lock (_lock)
        {
            if (_disposed || !_byEndPoint.TryGetValue(connection.RemoteEndPoint, out Entry? failed))
            {
                return;
            }
            long now = Environment.TickCount64;
            if (!failed.Outlier.RecordFailure(connection, now, policy))
            {
                return;
            }
            // A linear count, on the failure path only: ejections expire by the clock, so nothing to keep in step.
            int ejectedNow = 0;
            foreach (Entry entry in _entries.Values)
            {
                if (entry.Outlier.IsEjected(now))
                {
                    ejectedNow++;
                }
            }
            if (ejectedNow + 1 > policy.MaxEjected(_entries.Count))
            {
                return;
            }
            ejection = failed.Outlier.Eject(now, policy);
            shutdown = _shutdown.Token;
        }
        Rebuild();
        _ = ReturnAfterAsync(ejection, shutdown);
    }

    // The ejection ends by the clock; a rebuild then puts the instance back into the snapshot.
    private async Task ReturnAfterAsync(TimeSpan ejection, CancellationToken shutdown)
    {
        try
        {
            await Task.Delay(ejection + TimeSpan.FromMilliseconds(1), shutdown).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        RequestRebuild();
    }

    // Connection state changes come in bursts (thousands of instances connecting at once, a network blip) and a
    // rebuild costs O(n) (a hash ring of 10,000 instances: about 200 ms): they are merged into one rebuild on the
    // thread pool, queued unless one is queued already.
    private void RequestRebuild()
    {
        if (Interlocked.Exchange(ref _rebuildQueued, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static channel =>
            {
                Volatile.Write(ref channel._rebuildQueued, 0);
                channel.Rebuild();
            }, this, preferLocal: false);
        }
    }

    private void Rebuild()
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            var candidates = new List<RpcPickCandidate>();
            List<RpcPickCandidate>? ejected = null;
            long now = Environment.TickCount64;
            foreach (Entry entry in _entries.Values)
            {
                if (entry.IsCandidate)
                {
                    RpcPickCandidate candidate = entry.CandidateFor(_settings.Options.SlowStartWindow);
                    if (entry.Outlier.IsEjected(now))
                    {
                        (ejected ??= new()).Add(candidate);
                    }
                    else
                    {
                        candidates.Add(candidate);
                    }
                }
            }
            if (candidates.Count == 0 && ejected is not null)
            {
                // Ejection steers calls, it never refuses them: with nothing else Ready, the ejected serve.
                candidates = ejected;
            }
            Snapshot previous = _snapshot;
            Volatile.Write(ref _snapshot, candidates.Count == 0
                ? Snapshot.Empty
                : new Snapshot([.. candidates], _balancer.CreatePicker(candidates, previous.Picker)));
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    public override async ValueTask DisposeAsync()
    {
        List<Task> closing = new();
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _snapshot = Snapshot.Empty;
            foreach (Entry entry in _entries.Values)
            {
                closing.Add(entry.Subchannel.DisposeAsync().AsTask());
            }
            _entries.Clear();
            _byEndPoint.Clear();
            closing.AddRange(_retiring);
        }
        _shutdown.Cancel();
        _changed.TrySetResult();
        try
        {
            await _watch.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The watch ends with the shutdown; how is of no interest any more.
        }
        await Task.WhenAll(closing).ConfigureAwait(false);
        _shutdown.Dispose();
    }

    private sealed class Entry
    {
        private RpcPickCandidate? _candidate;

        public Entry(RpcServiceInstance instance, RpcSubchannel subchannel)
        {
            Instance = instance;
            Subchannel = subchannel;
        }

        public RpcServiceInstance Instance { get; set; }

        public RpcSubchannel Subchannel { get; }

        public bool Retired { get; set; }

        /// <summary>Its standing with outlier ejection; written under the channel's lock.</summary>
        public RpcOutlierState Outlier { get; } = new();

        /// <summary>Still on its way to a first outcome (or to the next one after a drop): neither Ready nor failed.</summary>
        public bool IsConnecting => !Retired && Subchannel.State is RpcConnectionState.Connecting or RpcConnectionState.Idle;

        /// <summary>Ready and not draining: what a rebuild offers the balancer (unless ejected).</summary>
        public bool IsCandidate => !Retired && Subchannel.ReadyConnection is { IsDraining: false };

        public RpcPickCandidate CandidateFor(TimeSpan slowStart)
        {
            if (_candidate is null || !ReferenceEquals(_candidate.Instance, Instance))
            {
                _candidate = new RpcPickCandidate(Instance, Subchannel, slowStart);
            }
            return _candidate;
        }
    }

    private sealed class Snapshot
    {
        public static readonly Snapshot Empty = new([], null);

        public Snapshot(RpcPickCandidate[] candidates, RpcPicker? picker)
        {
            Candidates = candidates;
            Picker = picker;
        }

        public RpcPickCandidate[] Candidates { get; }

        public RpcPicker? Picker { get; }
    }
}
