using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Rpc.Tests.Shared;

/// <summary>
/// Several tests in both runtime test projects (each compiles this one file) block thread-pool threads on purpose
/// (handlers and producers that call <c>Thread.Sleep</c>) while other test classes run in parallel. As
/// docs/threading.md advises servers whose handlers block, the test process starts with enough threads, so that a
/// test's outcome does not hang on the pool's slow thread injection.
/// </summary>
internal static class ThreadPoolSetup
{
    [ModuleInitializer]
    internal static void EnsureThreads()
    {
        ThreadPool.GetMinThreads(out int workers, out int completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(completionPorts, 32));
    }
}
