using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Rpc.Discovery;

namespace Rpc.Etcd;

/// <summary>
/// One registered instance: its key, written under a lease of the registry's TTL that a background loop renews
/// every third of the TTL. When the lease lapses (etcd forgot it, or the process could not renew it in time) the
/// loop grants a new one and writes the key again; while etcd is unreachable it keeps retrying. Disposal stops
/// the loop and revokes the lease, which deletes the key.
/// </summary>
internal sealed class EtcdRegistration : IAsyncDisposable
{
    private readonly EtcdConnection _etcd;
    private readonly string _key;
    private readonly ByteString _keyBytes;
    private readonly ByteString _value;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstWrite = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<EtcdRegistration> _onDisposed;
    private Task _loop = Task.CompletedTask;
    private long _leaseId; // 0: no lease holds the key (yet, or any more)
    private int _failures; // failed tries since the last request that worked; sets the retry delay
    private int _disposed;

    private EtcdRegistration(EtcdConnection etcd, RpcServiceInstance instance, Action<EtcdRegistration> onDisposed)
    {
        _etcd = etcd;
        _key = EtcdKeys.InstanceKey(etcd.Prefix, instance.ServiceName, instance.Id);
        _keyBytes = EtcdKeys.ToBytes(_key);
        _value = ByteString.CopyFrom(EtcdInstanceCodec.Encode(instance));
        _onDisposed = onDisposed;
    }

    /// <summary>The instance's key in etcd.</summary>
    internal string Key => _key;

    /// <summary>The lease that holds the key now, or 0 while none does.</summary>
    internal long LeaseId => Interlocked.Read(ref _leaseId);

    /// <summary>
    /// Starts the loop and waits until the key is first written. While etcd cannot be reached the loop keeps
    /// trying (each failure logged) until <paramref name="cancellationToken"/> fires; then it stops and this throws.
    /// </summary>
    internal static async Task<EtcdRegistration> StartAsync(
        EtcdConnection etcd,
        RpcServiceInstance instance,
        Action<EtcdRegistration> onDisposed,
        CancellationToken cancellationToken)
    {
        var registration = new EtcdRegistration(etcd, instance, onDisposed);
        registration._loop = Task.Run(registration.RunAsync);
        try
        {
            await registration._firstWrite.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await registration.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return registration;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _etcd.Log($"The registration loop of {_key} failed", e);
        }

        long leaseId = Interlocked.Exchange(ref _leaseId, 0);
        if (leaseId != 0)
        {
            try
            {
                // Revoking deletes every key attached to the lease: ours, unless a later registration with the
                // same Id rewrote it under its own lease, which then stays.
                await _etcd.Calls.LeaseClient.LeaseRevokeAsync(
                    new LeaseRevokeRequest { ID = leaseId }, deadline: _etcd.Deadline()).ResponseAsync.ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _etcd.Log($"Could not revoke the lease of {_key}; the key goes when the lease expires, within {_etcd.LeaseTtlSeconds} s", e);
            }
        }

        _stop.Dispose();
        _onDisposed(this);
    }

    private async Task RunAsync()
    {
        CancellationToken stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (LeaseId == 0)
                {
                    await GrantAndPutAsync(stop).ConfigureAwait(false);
                    _failures = 0;
                    if (!_firstWrite.TrySetResult())
                    {
                        _etcd.Log($"Registered {_key} again under a new lease");
                    }
                }

                await KeepAliveAsync(stop).ConfigureAwait(false);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                int failures = ++_failures;
                _etcd.Log(LeaseId == 0
                    ? $"Could not register {_key} (try {failures}); retrying"
                    : $"Could not renew the lease of {_key} (try {failures}); retrying", e);
                if (!await EtcdConnection.DelayBeforeRetryAsync(failures, stop).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
    }

    private async Task GrantAndPutAsync(CancellationToken stop)
    {
        LeaseGrantResponse lease = await _etcd.Calls.LeaseClient.LeaseGrantAsync(
            new LeaseGrantRequest { TTL = _etcd.LeaseTtlSeconds }, deadline: _etcd.Deadline(), cancellationToken: stop)
            .ResponseAsync.ConfigureAwait(false);
        // Should the put fail, the new lease holds nothing and expires on its own; the next try grants another.
        await _etcd.Calls.KVClient.PutAsync(
            new PutRequest { Key = _keyBytes, Value = _value, Lease = lease.ID }, deadline: _etcd.Deadline(), cancellationToken: stop)
            .ResponseAsync.ConfigureAwait(false);
        Interlocked.Exchange(ref _leaseId, lease.ID);
    }

    /// <summary>
    /// Renews the lease every third of its TTL over one keep-alive stream. Returns when etcd says the lease is
    /// gone (the caller then grants a new one); throws when the stream fails or an answer is late.
    /// </summary>
    private async Task KeepAliveAsync(CancellationToken stop)
    {
        long leaseId = LeaseId;
        using AsyncDuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse> call =
            _etcd.Calls.LeaseClient.LeaseKeepAlive(cancellationToken: stop);
        var request = new LeaseKeepAliveRequest { ID = leaseId };
        TimeSpan interval = TimeSpan.FromSeconds(_etcd.LeaseTtlSeconds / 3.0);
        while (true)
        {
            await call.RequestStream.WriteAsync(request, stop).ConfigureAwait(false);
            using (var answerTimeout = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                answerTimeout.CancelAfter(_etcd.RequestTimeout);
                bool answered;
                try
                {
                    answered = await call.ResponseStream.MoveNext(answerTimeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (answerTimeout.IsCancellationRequested && !stop.IsCancellationRequested)
                {
                    throw new TimeoutException($"etcd did not answer a keep-alive within {_etcd.RequestTimeout.TotalSeconds:0.#} s", e);
                }

                if (!answered)
                {
                    throw new IOException("etcd closed the keep-alive stream");
                }
            }

            if (call.ResponseStream.Current.TTL <= 0)
            {
                _etcd.Log($"The lease of {_key} lapsed; granting a new one and writing the key again");
                _failures = 0;
                Interlocked.CompareExchange(ref _leaseId, 0, leaseId);
                return;
            }

            _failures = 0;
            await Task.Delay(interval, stop).ConfigureAwait(false);
        }
    }
}
