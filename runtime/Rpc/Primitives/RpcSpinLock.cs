using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Rpc.Protocol;

/// <summary>
/// The lock of a connection's send queue and call tables: taken several times per call, held for a few dozen
/// instructions, never held while waiting for anything and never taken again by its holder. Entering is one
/// compare-exchange and leaving one plain store, where <see cref="Lock"/> also looks up the thread's id and leaves
/// with another interlocked operation (together about 8% of a unary call's CPU in the in-memory benchmark). A
/// thread that finds it taken spins, then yields, then sleeps, so a holder that the scheduler interrupts still gets
/// its turn back.
/// </summary>
internal sealed class RpcSpinLock
{
    private int _held;
#if DEBUG
    // Debug builds check the rule that makes a plain spin lock enough: the holder never takes it again.
    private int _ownerThreadId;
#endif

    /// <summary>Takes the lock until the scope is disposed: <c>using (spinLock.EnterScope()) { ... }</c>.</summary>
    public Scope EnterScope()
    {
#if DEBUG
        Debug.Assert(Volatile.Read(ref _ownerThreadId) != Environment.CurrentManagedThreadId, "The lock's holder tried to take it again.");
#endif
        if (Interlocked.CompareExchange(ref _held, 1, 0) != 0)
        {
            EnterContended();
        }
#if DEBUG
        _ownerThreadId = Environment.CurrentManagedThreadId;
#endif
        return new Scope(this);
    }

    /// <summary>True while some thread holds the lock (for assertions).</summary>
    public bool IsHeld => Volatile.Read(ref _held) != 0;

    private void EnterContended()
    {
        var spinner = new SpinWait();
        do
        {
            spinner.SpinOnce();
        }
        while (Volatile.Read(ref _held) != 0 || Interlocked.CompareExchange(ref _held, 1, 0) != 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Exit()
    {
#if DEBUG
        _ownerThreadId = 0;
#endif
        Volatile.Write(ref _held, 0);
    }

    /// <summary>Holds the lock until disposed.</summary>
    public ref struct Scope
    {
        private RpcSpinLock? _owner;

        internal Scope(RpcSpinLock owner) => _owner = owner;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Dispose()
        {
            RpcSpinLock? owner = _owner;
            _owner = null;
            owner?.Exit();
        }
    }
}
