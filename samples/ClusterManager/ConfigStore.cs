namespace ClusterManager;

/// <summary>
/// A versioned key/value map: the coordinator's copy is the source, every worker holds a replica. Each write gets the
/// next version; a replica applies only entries newer than what it has for the key, so pushes and catch-ups may
/// overlap, repeat or arrive out of order and every replica still ends equal.
/// </summary>
public sealed class ConfigStore
{
    private readonly object _lock = new();
    private readonly Dictionary<string, ConfigEntry> _entries = new(StringComparer.Ordinal);
    private long _version;

    /// <summary>The highest version held.</summary>
    public long Version
    {
        get
        {
            lock (_lock)
            {
                return _version;
            }
        }
    }

    /// <summary>Writes a value (the coordinator's side) and returns its entry.</summary>
    public ConfigEntry Set(string key, string value)
    {
        lock (_lock)
        {
            var entry = new ConfigEntry(key, value, ++_version);
            _entries[key] = entry;
            return entry;
        }
    }

    /// <summary>Applies entries newer than the ones held (a replica's side); returns the version now held.</summary>
    public long Apply(IEnumerable<ConfigEntry> entries)
    {
        lock (_lock)
        {
            foreach (ConfigEntry entry in entries)
            {
                if (!_entries.TryGetValue(entry.Key, out ConfigEntry? held) || held.Version < entry.Version)
                {
                    _entries[entry.Key] = entry;
                }
                _version = Math.Max(_version, entry.Version);
            }
            return _version;
        }
    }

    /// <summary>The entries written after <paramref name="version"/>.</summary>
    public ConfigEntry[] Since(long version)
    {
        lock (_lock)
        {
            return _entries.Values.Where(entry => entry.Version > version).OrderBy(entry => entry.Version).ToArray();
        }
    }

    /// <summary>A short fingerprint of the contents: equal replicas print equal digests.</summary>
    public string Digest()
    {
        lock (_lock)
        {
            // FNV-1a over "key=value;" in key order: stable across processes, unlike string.GetHashCode.
            uint hash = 2166136261;
            foreach (ConfigEntry entry in _entries.Values.OrderBy(entry => entry.Key, StringComparer.Ordinal))
            {
                foreach (char c in entry.Key + "=" + entry.Value + ";")
                {
                    hash = (hash ^ c) * 16777619;
                }
            }
            return hash.ToString("x8");
        }
    }
}
