using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Discovery;

namespace Rpc.Client;

/// <summary>
/// A client of every instance of one service: watches the registry, keeps one <see cref="RpcSubchannel"/> per
/// instance (each with its own state and reconnects), and republishes an immutable snapshot of the Ready ones with
/// their <see cref="RpcPicker"/> whenever the set or a connection's state changes, so that a call's pick reads one
/// field and allocates nothing. An instance that drains (GoAway) leaves the snapshot at once; one the registry drops
/// finishes its calls in flight before its connections close.
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
    private readonly List<Task> _retiring = new();
    private Snapshot _snapshot = Snapshot.Empty;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _listed;
    private bool _disposed;
    private Task _watch = Task.CompletedTask;

    public RpcBalancedChannel(string serviceName, IRpcServiceRegistry registry, RpcClientSettings settings)
    {
        _serviceName = serviceName;
        _registry = registry;
        _settings = settings;
        _balancer = settings.Options.LoadBalancer;
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

    /// <summary>Starts watching and completes once one instance is Ready (or fails after the connect timeout).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _watch = WatchAsync();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_settings.Options.ConnectTimeout);
        try
        {
            await WaitForReadyAsync(waitForReady: true, null, null, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RpcException(RpcStatusCode.Unavailable,
                $"No instance of {_serviceName} became Ready within {_settings.Options.ConnectTimeout} ({DescribeInstances()}).");
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
                    anyConnecting |= entry.Subchannel.State is RpcConnectionState.Connecting or RpcConnectionState.Idle;
                }
                return anyConnecting ? RpcConnectionState.Connecting : _entries.Count == 0 ? RpcConnectionState.Idle : RpcConnectionState.TransientFailure;
            }
        }
    }

    public override RpcClientConnection? Pick(RpcClientCallContext? context, string? hashKey)
    {
        Snapshot snapshot = Volatile.Read(ref _snapshot);
        if (snapshot.Candidates.Length == 0)
        {
            return null;
        }
        // The scope's explicit key wins over the call's [RpcHashKey] argument.
        int index = snapshot.Picker!.Pick(context?.CallOptions?.HashKey ?? hashKey);
        if ((uint)index >= (uint)snapshot.Candidates.Length)
        {
            return null;
        }
        return snapshot.Candidates[index].Subchannel.ReadyConnection is { IsDraining: false } connection ? connection : null;
    }

    public override ValueTask<RpcClientConnection> WaitForReadyAsync(RpcClientCallContext? context, string? hashKey, RpcMethodDescriptor method, CancellationToken cancellationToken) =>
        WaitForReadyAsync(context?.CallOptions?.WaitForReady ?? false, context, hashKey, cancellationToken);

    private async ValueTask<RpcClientConnection> WaitForReadyAsync(bool waitForReady, RpcClientCallContext? context, string? hashKey, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (Pick(context, hashKey) is { } connection)
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
            if (context?.Deadline is { } deadline)
            {
                TimeSpan left = deadline - DateTimeOffset.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    throw new RpcException(RpcStatusCode.DeadlineExceeded, $"The deadline of the call to {context.Method} passed while waiting for an instance of {_serviceName}.");
                }
                try
                {
                    await changed.WaitAsync(left, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    throw new RpcException(RpcStatusCode.DeadlineExceeded, $"The deadline of the call to {context.Method} passed while waiting for an instance of {_serviceName}.");
                }
            }
            else
            {
                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
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
        subchannel.StateChanged += (_, _) => Rebuild();
        added.Add(subchannel);
        return new Entry(instance, subchannel);
    }

    // Called under the lock: the instance takes no new calls; its connections close once its calls are done.
    private void Retire(Entry entry)
    {
        entry.Retired = true;
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
            foreach (Entry entry in _entries.Values)
            {
                if (!entry.Retired && entry.Subchannel.ReadyConnection is { IsDraining: false })
                {
                    candidates.Add(entry.CandidateFor(_settings.Options.SlowStartWindow));
                }
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
