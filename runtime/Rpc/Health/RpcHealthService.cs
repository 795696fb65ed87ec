using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Rpc.Health;

/// <summary>
/// The <see cref="IRpcHealth"/> a server hosts (<see cref="RpcServer.Health"/>). The whole server (<c>""</c>) and
/// every service it serves are <see cref="RpcHealthStatus.Serving"/> until told otherwise with
/// <see cref="SetStatus"/> (Rpc.Hosting sets <c>""</c> from Microsoft.Extensions health checks); once the server
/// starts draining, everything is <see cref="RpcHealthStatus.NotServing"/> and every open watch ends.
/// </summary>
public sealed class RpcHealthService : IRpcHealth
{
    private readonly Func<string, bool> _isServed;
    private readonly object _lock = new();
    private readonly Dictionary<string, RpcHealthStatus> _statuses = new(StringComparer.Ordinal);
    // Completed and replaced on every change: watchers wait on the current one.
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _draining;

    /// <param name="isServed">Whether the server serves a service of that name.</param>
    internal RpcHealthService(Func<string, bool> isServed) => _isServed = isServed;

    /// <summary>True once the server started draining.</summary>
    public bool IsDraining => Volatile.Read(ref _draining);

    /// <summary>
    /// Sets the status of <paramref name="service"/> (<c>""</c> for the whole server): what Check answers and Watch
    /// sends until the next change. Ignored once the server is draining (everything is NotServing then).
    /// </summary>
    public void SetStatus(string service, RpcHealthStatus status)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_lock)
        {
            if (_draining || (_statuses.TryGetValue(service, out RpcHealthStatus old) && old == status))
            {
                return;
            }
            _statuses[service] = status;
            SignalChange();
        }
    }

    /// <summary>Forgets a status set with <see cref="SetStatus"/>: the service reads as it would by default again.</summary>
    public void ClearStatus(string service)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_lock)
        {
            if (!_draining && _statuses.Remove(service))
            {
                SignalChange();
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<RpcHealthStatus> CheckAsync(string service, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_lock)
        {
            return new ValueTask<RpcHealthStatus>(StatusOf(service));
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RpcHealthStatus> WatchAsync(string service, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        RpcHealthStatus? sent = null;
        while (true)
        {
            RpcHealthStatus status;
            Task changed;
            bool draining;
            lock (_lock)
            {
                status = StatusOf(service);
                changed = _changed.Task;
                draining = _draining;
            }
            if (status != sent)
            {
                yield return status;
                sent = status;
            }
            if (draining)
            {
                yield break;
            }
            await changed.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Called as the server starts draining: everything turns NotServing and every watch ends.</summary>
    internal void BeginDrain()
    {
        lock (_lock)
        {
            if (_draining)
            {
                return;
            }
            Volatile.Write(ref _draining, true);
            SignalChange();
        }
    }

    private RpcHealthStatus StatusOf(string service)
    {
        if (_draining)
        {
            return service.Length == 0 || _statuses.ContainsKey(service) || _isServed(service)
                ? RpcHealthStatus.NotServing
                : RpcHealthStatus.ServiceUnknown;
        }
        if (_statuses.TryGetValue(service, out RpcHealthStatus status))
        {
            return status;
        }
        return service.Length == 0 || _isServed(service) ? RpcHealthStatus.Serving : RpcHealthStatus.ServiceUnknown;
    }

    private void SignalChange()
    {
        TaskCompletionSource changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }
}
