using Rpc;
using Rpc.Discovery;

namespace ClusterManager;

/// <summary>
/// Every worker instance the registry lists, each with a client of its own: what the coordinator needs to reach all
/// of them at once (a configuration push), where the balanced client reaches one of them per call.
/// </summary>
public sealed class WorkerDirectory : IAsyncDisposable
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Member> _members = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watch;

    public WorkerDirectory(IRpcServiceRegistry registry) => _watch = WatchAsync(registry);

    /// <summary>The workers listed now, by name.</summary>
    public string[] Names
    {
        get
        {
            lock (_lock)
            {
                return _members.Values.Select(member => member.Name).Order().ToArray();
            }
        }
    }

    private async Task WatchAsync(IRpcServiceRegistry registry)
    {
        try
        {
            await foreach (IReadOnlyList<RpcServiceInstance> instances in registry.WatchAsync(WorkerNode.ServiceName, _stop.Token))
            {
                var gone = new List<Member>();
                lock (_lock)
                {
                    foreach (RpcServiceInstance instance in instances)
                    {
                        if (!_members.ContainsKey(instance.Id))
                        {
                            _members[instance.Id] = new Member(instance);
                        }
                    }
                    foreach (string id in _members.Keys.Except(instances.Select(instance => instance.Id)).ToList())
                    {
                        gone.Add(_members[id]);
                        _members.Remove(id);
                    }
                }
                foreach (Member member in gone)
                {
                    await member.DisposeAsync();
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Sends <paramref name="entries"/> to every listed worker; returns the names that applied them.</summary>
    public async Task<string[]> BroadcastAsync(ConfigEntry[] entries)
    {
        Member[] members;
        lock (_lock)
        {
            members = _members.Values.ToArray();
        }
        string?[] applied = await Task.WhenAll(members.Select(async member =>
        {
            try
            {
                IWorker worker = await member.GetAsync();
                using (RpcCallOptions.Push(new RpcCallOptions { Timeout = TimeSpan.FromSeconds(2) }))
                {
                    await worker.ApplyConfigAsync(entries);
                }
                return member.Name;
            }
            catch (RpcException)
            {
                // Not reachable now: its next heartbeat catches it up.
                return null;
            }
        }));
        return applied.OfType<string>().Order().ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _watch;
        Member[] members;
        lock (_lock)
        {
            members = _members.Values.ToArray();
            _members.Clear();
        }
        foreach (Member member in members)
        {
            await member.DisposeAsync();
        }
        _stop.Dispose();
    }

    private sealed class Member : IAsyncDisposable
    {
        private readonly SemaphoreSlim _connecting = new(1, 1);
        private RpcClient? _client;

        public Member(RpcServiceInstance instance)
        {
            Instance = instance;
            Name = instance.Metadata.TryGetValue("name", out string? name) ? name : instance.Id;
        }

        public RpcServiceInstance Instance { get; }

        public string Name { get; }

        public async Task<IWorker> GetAsync()
        {
            await _connecting.WaitAsync();
            try
            {
                _client ??= await RpcClient.ConnectAsync(Instance.EndPoint, new RpcClientOptions { ConnectTimeout = TimeSpan.FromSeconds(2) });
                return _client.CreateProxy<IWorker>();
            }
            finally
            {
                _connecting.Release();
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_client is not null)
            {
                await _client.DisposeAsync();
            }
        }
    }
}
