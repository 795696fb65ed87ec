using System.Threading;
using System.Threading.Tasks;

namespace Rpc.Protocol;

/// <summary>
/// The sending side of one stream's flow control: the credit the receiver has granted, spent by each StreamItem and
/// replenished by WindowUpdate frames. A sender waits while its credit is not positive.
/// </summary>
internal sealed class RpcStreamSender
{
    private readonly Lock _lock = new();
    private readonly RpcFlowStatistics _statistics;
    private long _credit = RpcFlowControl.InitialWindow;
    private long _window = RpcFlowControl.InitialWindow;
    private TaskCompletionSource? _waiter;

    public RpcStreamSender(RpcFlowStatistics statistics) => _statistics = statistics;

    /// <summary>Completes once the credit is positive; a sender that had to wait allocates, one that did not does not.</summary>
    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        Task waiting;
        lock (_lock)
        {
            if (_credit > 0)
            {
                return default;
            }
            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting = _waiter.Task;
        }
        return new ValueTask(waiting.WaitAsync(cancellationToken));
    }

    /// <summary>Spends the cost of a StreamItem that was just queued.</summary>
    public void OnSent(int cost)
    {
        long outstanding;
        lock (_lock)
        {
            _credit -= cost;
            outstanding = _window - _credit;
        }
        _statistics.RecordOutstanding(outstanding);
    }

    /// <summary>Adds credit from a WindowUpdate. False when the peer granted more than the protocol allows.</summary>
    public bool TryAddCredit(uint increment)
    {
        TaskCompletionSource? waiter = null;
        lock (_lock)
        {
            _credit += increment;
            if (_credit > RpcFlowControl.MaxCredit)
            {
                return false;
            }
            // The window is the most credit the receiver ever granted at once: its buffer size as seen from here.
            if (_credit > _window)
            {
                _window = _credit;
            }
            if (_credit > 0)
            {
                waiter = _waiter;
                _waiter = null;
            }
        }
        waiter?.TrySetResult();
        return true;
    }
}
