using System.Threading;

namespace Rpc.Protocol;

/// <summary>
/// High-water marks of one connection's flow control, for tests and diagnostics: how far a sender ran ahead of
/// its receiver, and how much a receiver held for its consumer.
/// </summary>
internal sealed class RpcFlowStatistics
{
    private long _maxOutstanding;
    private long _maxBuffered;

    /// <summary>The most bytes of one stream sent and not yet credited back, over all streams this side sent.</summary>
    public long MaxOutstandingBytes => Volatile.Read(ref _maxOutstanding);

    /// <summary>The most bytes of one stream received and not yet taken by its consumer.</summary>
    public long MaxBufferedBytes => Volatile.Read(ref _maxBuffered);

    public void RecordOutstanding(long bytes) => RaiseTo(ref _maxOutstanding, bytes);

    public void RecordBuffered(long bytes) => RaiseTo(ref _maxBuffered, bytes);

    private static void RaiseTo(ref long location, long value)
    {
        long current = Volatile.Read(ref location);
        while (value > current)
        {
            long seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }
}
