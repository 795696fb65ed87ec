using System;

namespace Rpc.Etcd;

/// <summary>Where <see cref="EtcdServiceRegistry"/> finds etcd, where it keeps its keys, and how long its leases last.</summary>
public sealed class EtcdRegistryOptions
{
    /// <summary>
    /// The etcd cluster's client URLs, comma-separated (<c>http://10.0.0.1:2379,http://10.0.0.2:2379</c>); calls
    /// are spread over them and go on while one is down. Default <c>http://127.0.0.1:2379</c>.
    /// </summary>
    public string Endpoints { get; set; } = "http://127.0.0.1:2379";

    /// <summary>
    /// The key prefix every instance key lives under: an instance is the key
    /// <c>Prefix + serviceName + "/" + Id</c> (docs/cluster.md, "Registry and key layout"). Must end with
    /// <c>/</c>. Default <c>/rpc/services/</c>.
    /// </summary>
    public string Prefix { get; set; } = "/rpc/services/";

    /// <summary>
    /// How long a registration outlives its process: the TTL of the lease each instance key is attached to, in
    /// whole seconds (rounded up; etcd raises anything under its own minimum, 2 s by default). The lease is
    /// renewed every third of it. At least 1 second; default 10 seconds.
    /// </summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one etcd request (a grant, put, list, revoke or keep-alive answer) may take. Default 5 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Receives every failure the registry meets in the background and every recovery it makes (a request that
    /// failed and will be retried, a lapsed lease granted again, a watch resumed or listed again after a
    /// compaction), as a message and the exception if there was one. It runs on a background thread and must
    /// not block. Null (the default) writes them to standard error: nothing is swallowed silently.
    /// </summary>
    public Action<string, Exception?>? Log { get; set; }

    /// <summary>Checks every option, throwing an <see cref="ArgumentException"/> that names the one at fault.</summary>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Endpoints))
        {
            throw new ArgumentException("EtcdRegistryOptions.Endpoints must list at least one etcd URL, e.g. http://127.0.0.1:2379.", nameof(Endpoints));
        }

        foreach (string endpoint in Endpoints.Split(','))
        {
            string url = endpoint.Trim();
            if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) ||
                (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) ||
                string.IsNullOrEmpty(uri.Host))
            {
                throw new ArgumentException(
                    $"EtcdRegistryOptions.Endpoints: '{url}' is not an etcd URL (write http://host:port or https://host:port, comma-separated).",
                    nameof(Endpoints));
            }
        }

        if (string.IsNullOrEmpty(Prefix) || !Prefix.EndsWith('/'))
        {
            throw new ArgumentException($"EtcdRegistryOptions.Prefix must end with '/' (it is '{Prefix}').", nameof(Prefix));
        }

        if (LeaseTtl < TimeSpan.FromSeconds(1) || LeaseTtl > TimeSpan.FromDays(1))
        {
            throw new ArgumentException($"EtcdRegistryOptions.LeaseTtl must be between 1 second and 1 day (it is {LeaseTtl}).", nameof(LeaseTtl));
        }

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentException($"EtcdRegistryOptions.RequestTimeout must be positive and at most 10 minutes (it is {RequestTimeout}).", nameof(RequestTimeout));
        }
    }

    /// <summary>The lease TTL in whole seconds, as etcd takes it.</summary>
    internal long LeaseTtlSeconds => (long)Math.Ceiling(LeaseTtl.TotalSeconds);
}
