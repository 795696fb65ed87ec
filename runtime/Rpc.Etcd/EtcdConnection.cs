using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using dotnet_etcd;
using dotnet_etcd.interfaces;
using Grpc.Net.Client;

namespace Rpc.Etcd;

/// <summary>
/// What a registry's registrations and watches share: the gRPC connection to etcd, a copy of the options taken
/// at construction, the log, and the retry delays.
/// </summary>
internal sealed class EtcdConnection : IDisposable
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(2);
    private readonly EtcdClient _client;
    private readonly Action<string, Exception?>? _log;

    internal EtcdConnection(EtcdRegistryOptions options)
    {
        Prefix = options.Prefix;
        LeaseTtlSeconds = options.LeaseTtlSeconds;
        RequestTimeout = options.RequestTimeout;
        _log = options.Log;
        _client = new EtcdClient(options.Endpoints, configureChannelOptions: ConfigureChannel);
        Calls = _client.GetConnection();
    }

    /// <summary>etcd's generated gRPC clients (KV, Lease, Watch) on the shared channel.</summary>
    internal IConnection Calls { get; }

    internal string Prefix { get; }

    internal long LeaseTtlSeconds { get; }

    internal TimeSpan RequestTimeout { get; }

    /// <summary>The deadline of a request starting now.</summary>
    internal DateTime Deadline() => DateTime.UtcNow + RequestTimeout;

    /// <summary>
    /// How long to wait before the next try after <paramref name="failures"/> failures in a row: 100 ms doubling
    /// up to 2 s, with up to a fifth of jitter so that many instances do not retry in step.
    /// </summary>
    internal static TimeSpan RetryDelay(int failures)
    {
        double ms = Math.Min(LongestRetryDelay.TotalMilliseconds, FirstRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 16)));
        return TimeSpan.FromMilliseconds(ms * (0.8 + (Random.Shared.NextDouble() * 0.2)));
    }

    /// <summary>Waits <see cref="RetryDelay"/>; false when <paramref name="cancellationToken"/> fired first.</summary>
    internal static async Task<bool> DelayBeforeRetryAsync(int failures, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(RetryDelay(failures), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    internal void Log(string message, Exception? exception = null)
    {
        try
        {
            if (_log is null)
            {
                Console.Error.WriteLine(exception is null ? "Rpc.Etcd: " + message : $"Rpc.Etcd: {message}: {exception.GetType().Name}: {exception.Message}");
            }
            else
            {
                _log(message, exception);
            }
        }
        catch (Exception e)
        {
            // A log callback that throws must not stop a registration or a watch; say so where it can be seen.
            Console.Error.WriteLine($"Rpc.Etcd: the Log callback threw {e.GetType().Name}: {e.Message} (logging: {message})");
        }
    }

    public void Dispose() => _client.Dispose();

    private static void ConfigureChannel(GrpcChannelOptions options)
    {
        // Our loops retry on their own schedule and must hear of a failure at once, not after the library's five
        // attempts; and a channel that lost etcd reconnects within two seconds of its return, not minutes later.
        options.ServiceConfig?.MethodConfigs.Clear();
        if (options.ServiceConfig is not null)
        {
            options.ServiceConfig.RetryThrottling = null;
        }

        options.InitialReconnectBackoff = TimeSpan.FromMilliseconds(200);
        options.MaxReconnectBackoff = LongestRetryDelay;
        // HTTP/2 pings find a connection whose peer vanished without closing it (a partition, a frozen etcd), so
        // a watch stream on it fails and is resumed elsewhere instead of waiting forever.
        options.HttpHandler = new SocketsHttpHandler
        {
            KeepAlivePingDelay = TimeSpan.FromSeconds(5),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            EnableMultipleHttp2Connections = true,
        };
        options.DisposeHttpClient = true;
    }
}
