using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Mvccpb;
using Rpc.Discovery;

namespace Rpc.Etcd;

/// <summary>
/// Keeps one service's instance set in step with etcd and hands each new set to one watcher: it lists the
/// service's prefix, then watches it from the next revision. A watch stream that breaks is resumed from the last
/// revision seen (so no change is missed); a watch etcd cancels because that revision was compacted away is
/// replaced by a fresh listing, and the watcher hears of it only if the set differs. While etcd is unreachable
/// nothing is published: the watcher keeps the last set.
/// </summary>
internal sealed class EtcdServiceWatch
{
    private readonly EtcdConnection _etcd;
    private readonly string _serviceName;
    private readonly string _prefix;
    private readonly ByteString _key;
    private readonly ByteString _rangeEnd;
    private readonly ChannelWriter<IReadOnlyList<RpcServiceInstance>> _output;
    // The instances by key, and the revision they are current at; 0 until the first listing and after a compaction.
    private readonly Dictionary<string, RpcServiceInstance> _instances = new(StringComparer.Ordinal);
    private long _revision;
    private RpcServiceInstance[]? _published;
    private int _failures;

    /// <param name="etcd">The registry's connection.</param>
    /// <param name="serviceName">The service to follow.</param>
    /// <param name="output">Where each new set goes.</param>
    /// <param name="resumeAfterRevision">0 to start with a listing (what the registry does); otherwise start by
    /// watching after this revision with no known instances, as a watch resuming after a disconnect does (tests
    /// use it to reach a compacted revision).</param>
    internal EtcdServiceWatch(
        EtcdConnection etcd,
        string serviceName,
        ChannelWriter<IReadOnlyList<RpcServiceInstance>> output,
        long resumeAfterRevision = 0)
    {
        _revision = resumeAfterRevision;
        _etcd = etcd;
        _serviceName = serviceName;
        _prefix = EtcdKeys.ServicePrefix(etcd.Prefix, serviceName);
        _key = EtcdKeys.ToBytes(_prefix);
        _rangeEnd = EtcdKeys.RangeEnd(_prefix);
        _output = output;
    }

    /// <summary>Runs until <paramref name="stop"/> fires; never throws.</summary>
    internal async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (_revision == 0)
                {
                    await ListAsync(stop).ConfigureAwait(false);
                }

                await WatchAsync(stop).ConfigureAwait(false);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                int failures = ++_failures;
                _etcd.Log(_revision == 0
                    ? $"Could not list {_prefix} (try {failures}); keeping the last known instances and retrying"
                    : $"The watch of {_prefix} broke at revision {_revision} (try {failures}); keeping the last known instances and resuming", e);
                if (!await EtcdConnection.DelayBeforeRetryAsync(failures, stop).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
    }

    private async Task ListAsync(CancellationToken stop)
    {
        RangeResponse range = await _etcd.Calls.KVClient.RangeAsync(
            new RangeRequest { Key = _key, RangeEnd = _rangeEnd }, deadline: _etcd.Deadline(), cancellationToken: stop)
            .ResponseAsync.ConfigureAwait(false);
        _instances.Clear();
        foreach (KeyValue kv in range.Kvs)
        {
            Apply(kv, deleted: false);
        }

        _revision = range.Header.Revision;
        _failures = 0;
        Publish();
    }

    /// <summary>
    /// Watches from the revision after the last one seen. Returns after etcd cancelled the watch (then a listing
    /// is due); throws when the stream fails.
    /// </summary>
    private async Task WatchAsync(CancellationToken stop)
    {
        using AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call = _etcd.Calls.WatchClient.Watch(cancellationToken: stop);
        await call.RequestStream.WriteAsync(new WatchRequest
        {
            CreateRequest = new WatchCreateRequest { Key = _key, RangeEnd = _rangeEnd, StartRevision = _revision + 1 },
        }).ConfigureAwait(false);

        while (await call.ResponseStream.MoveNext(stop).ConfigureAwait(false))
        {
            WatchResponse response = call.ResponseStream.Current;
            if (response.CompactRevision != 0)
            {
                _etcd.Log($"Revision {_revision + 1} of {_prefix} was compacted away (now at {response.CompactRevision}); listing again");
                _revision = 0;
                return;
            }

            if (response.Canceled)
            {
                _etcd.Log($"etcd cancelled the watch of {_prefix}: {response.CancelReason}; listing again");
                _revision = 0;
                return;
            }

            _failures = 0;
            if (response.Events.Count == 0)
            {
                continue; // the "created" answer, or a progress notification
            }

            foreach (Event change in response.Events)
            {
                Apply(change.Kv, deleted: change.Type == Event.Types.EventType.Delete);
                _revision = Math.Max(_revision, change.Kv.ModRevision);
            }

            Publish();
        }

        throw new IOException("etcd closed the watch stream");
    }

    private void Apply(KeyValue kv, bool deleted)
    {
        string key = kv.Key.ToStringUtf8();
        if (deleted)
        {
            _instances.Remove(key);
            return;
        }

        try
        {
            _instances[key] = EtcdInstanceCodec.Decode(_serviceName, kv.Value.Span);
        }
        catch (FormatException e)
        {
            // Someone else's value under our prefix: leave it out of the set rather than fail the watch.
            _instances.Remove(key);
            _etcd.Log($"Skipping {key}: its value is not an instance", e);
        }
    }

    /// <summary>Hands the current set to the watcher, unless it equals the last one handed over.</summary>
    private void Publish()
    {
        RpcServiceInstance[] instances = _instances.Values.ToArray();
        Array.Sort(instances, static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        if (_published is not null && _published.AsSpan().SequenceEqual(instances))
        {
            return;
        }

        _published = instances;
        _output.TryWrite(Array.AsReadOnly(instances)); // a one-slot channel that drops the older set: never fails
    }
}
