using System.Runtime.InteropServices;
using Rpc.LoadTest.Contenders;
using Rpc.LoadTest.Measurement;

namespace Rpc.LoadTest.Hosting;

/// <summary>
/// The child side of <see cref="ServerProcess"/>: <c>serve NAME --port N</c> starts that contender's server on
/// 127.0.0.1:N, prints <c>READY</c>, answers <c>counters</c> lines with the process's managed counters (see
/// <see cref="ProcessCounters"/>), and stops when standard input closes, on SIGTERM, or after
/// <see cref="MaxLifetime"/> whatever happens, so that no server outlives its run.
/// </summary>
internal static class ServeCommand
{
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(10);

    public static async Task<int> RunAsync(string name, int port)
    {
        Contender? contender = Contender.Find(name);
        if (contender is null || port <= 0)
        {
            Console.Error.WriteLine($"usage: serve <{string.Join('|', Contender.All.Select(c => c.Name))}> --port N");
            return 2;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.TrySetResult();
        });
        var stdinWatcher = new Thread(() =>
        {
            // Blocks until the parent closes our standard input, or dies.
            while (Console.In.ReadLine() is { } line)
            {
                if (line == "counters")
                {
                    Console.WriteLine("COUNTERS " + ProcessCounters.FormatOwnCounters());
                }
            }
            stop.TrySetResult();
        })
        { IsBackground = true, Name = "stdin watcher" };

        IAsyncDisposable server = await contender.StartServerAsync(port);
        stdinWatcher.Start();
        Console.WriteLine("READY");
        await Task.WhenAny(stop.Task, Task.Delay(MaxLifetime));

        // A server that does not stop in time is ended anyway: the parent is waiting.
        Task disposing = server.DisposeAsync().AsTask();
        if (await Task.WhenAny(disposing, Task.Delay(TimeSpan.FromSeconds(3))) != disposing)
        {
            Console.Error.WriteLine($"The {name} server did not stop within 3 s; exiting anyway.");
        }
        return 0;
    }
}
