using System;
using System.Threading;

namespace Rpc.Protocol;

/// <summary>
/// The work one read of the connection produced (requests to run, responses whose callers to resume, stream
/// consumers to wake), run in order with the connection's frames corked, so that what the work sends leaves in one
/// flush. The thread that read it runs it before reading again (see <see cref="RpcConnection"/>); a batch left when
/// reading ends goes to the thread pool. An item that blocks its thread does not hold up the items after it: when
/// no item of the batch finished for a watchdog tick (<see cref="RpcConnectionWatchdog"/>), another thread-pool
/// thread joins in and takes the rest, and if the blocked thread held the read role, reading moves on too.
/// </summary>
internal sealed class RpcWorkBatch : IThreadPoolWorkItem
{
    // Entries are structs so that adding an item needs no covariant array-store check (every store into an array
    // of an interface type checks the item's type).
    private Entry[] _items = new Entry[16];
    private int _count;
    private readonly RpcConnection _connection;

    // The next item to claim; runners claim items with an interlocked increment, so each runs exactly once.
    private int _next;

    // Items finished (a count that may fall short when runners overlap); the watchdog compares it between ticks to
    // tell a blocked batch from a busy one.
    private int _finished;

    // Threads running this batch; the last one out hands it back to the connection. Changed only under the connection's
    // batch lock once the batch is running, so the watchdog never joins a batch that has finished.
    private int _runners;

    // -1 until the watchdog first sees the batch: a batch is only stalled after a whole tick without progress.
    private int _finishedAtLastCheck = -1;

    public RpcWorkBatch(RpcConnection connection) => _connection = connection;

    public int Count => _count;

    /// <summary>Adds an item; only before the batch runs.</summary>
    public void Add(IThreadPoolWorkItem item)
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, _count * 2);
        }
        _items[_count++].Item = item;
    }

    /// <summary>Runs the batch on this thread (from the thread pool).</summary>
    public void Run()
    {
        long epoch = _connection.OnBatchStarting(this, asReader: false);
        RunAndLeave(epoch, asReader: false);
    }

    /// <summary>Runs the batch on the thread that holds the read role; false when the role moved away meanwhile.</summary>
    public bool RunAsReader()
    {
        long epoch = _connection.OnBatchStarting(this, asReader: true);
        return RunAndLeave(epoch, asReader: true);
    }

    void IThreadPoolWorkItem.Execute() => Run();

    /// <summary>Under the connection's batch lock: counts a runner in; true for the first.</summary>
    public bool AddRunner() => ++_runners == 1;

    /// <summary>Under the connection's batch lock: counts a runner out; true when it was the last.</summary>
    public bool RemoveRunner() => --_runners == 0;

    /// <summary>
    /// Under the connection's batch lock, on a watchdog tick: true when the batch is not done and no item finished
    /// since the last tick (a runner is blocked in one).
    /// </summary>
    public bool IsStalled()
    {
        int finished = Volatile.Read(ref _finished);
        bool stalled = finished < _count && finished == _finishedAtLastCheck;
        _finishedAtLastCheck = finished;
        return stalled;
    }

    /// <summary>True when some items are not claimed by a runner yet: another runner joining would have work.</summary>
    public bool HasUnclaimedItems => Volatile.Read(ref _next) < _count;

    /// <summary>Joins a stalled batch from the thread pool (the watchdog counted this runner in already).</summary>
    public void JoinFromThreadPool() => ThreadPool.UnsafeQueueUserWorkItem(static batch => batch.RunAndLeave(epoch: 0, asReader: false), this, preferLocal: false);

    // The last runner to leave hands the batch back to the connection for reuse.
    private bool RunAndLeave(long epoch, bool asReader)
    {
        RunItems();
        if (_connection.OnRunnerFinished(this, epoch, asReader, out bool stillReader))
        {
            // The finished items (pooled calls and sources) are not kept alive by a batch waiting for reuse.
            Array.Clear(_items, 0, _count);
            _count = 0;
            _next = 0;
            _finished = 0;
            _finishedAtLastCheck = -1;
            _connection.ReturnBatch(this);
        }
        return stillReader;
    }

    private void RunItems()
    {
        Entry[] items = _items;
        int count = _count;
        ExecutionContext? outer = ExecutionContext.Capture();
        using (_connection.Sender.Cork())
        {
            int index;
            while ((index = Interlocked.Increment(ref _next) - 1) < count)
            {
                items[index].Item!.Execute();
                // Not interlocked: runners only overlap after a stall, and a count that lost an increment then only
                // makes the watchdog see a stall that is not there (another runner joins, finds little to do).
                Volatile.Write(ref _finished, _finished + 1);
                // As the thread pool does between work items: what one item left in the ambient context (an
                // AsyncLocal set by synchronous code) must not leak into the next.
                if (outer is not null && ExecutionContext.Capture() != outer)
                {
                    ExecutionContext.Restore(outer);
                }
            }
        }
    }

    private struct Entry
    {
        public IThreadPoolWorkItem? Item;
    }
}
