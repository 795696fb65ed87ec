using System.Threading;
using System.Threading.Tasks;
using Rpc.Protocol;
using Xunit;

namespace Rpc.Tests;

/// <summary>The connection's spin lock: mutual exclusion under contention, and release on every way out.</summary>
public sealed class SpinLockTests
{
    [Fact]
    public async Task Threads_contending_for_the_lock_never_overlap()
    {
        var spinLock = new RpcSpinLock();
        const int Threads = 4;
        const int Rounds = 200_000;
        long counter = 0;
        int inside = 0;
        int overlaps = 0;
        using var start = new Barrier(Threads);
        Task[] workers = new Task[Threads];
        for (int t = 0; t < Threads; t++)
        {
            workers[t] = Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                for (int i = 0; i < Rounds; i++)
                {
                    using (spinLock.EnterScope())
                    {
                        if (Interlocked.Increment(ref inside) != 1)
                        {
                            Interlocked.Increment(ref overlaps);
                        }
                        // A read-modify-write that loses updates unless the lock excludes the other threads.
                        counter = counter + 1;
                        Interlocked.Decrement(ref inside);
                    }
                }
            }, TaskCreationOptions.LongRunning);
        }
        await Task.WhenAll(workers);
        Assert.Equal(0, overlaps);
        Assert.Equal((long)Threads * Rounds, counter);
        Assert.False(spinLock.IsHeld);
    }

    [Fact]
    public void An_exception_inside_the_scope_releases_the_lock()
    {
        var spinLock = new RpcSpinLock();
        Assert.Throws<System.InvalidOperationException>(() => ThrowInside(spinLock));
        Assert.False(spinLock.IsHeld);
        using (spinLock.EnterScope())
        {
            Assert.True(spinLock.IsHeld);
        }
    }

    private static void ThrowInside(RpcSpinLock spinLock)
    {
        using (spinLock.EnterScope())
        {
            throw new System.InvalidOperationException();
        }
    }
}
