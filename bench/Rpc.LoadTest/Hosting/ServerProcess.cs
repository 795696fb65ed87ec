using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using Rpc.LoadTest.Contenders;
using Rpc.LoadTest.Measurement;

namespace Rpc.LoadTest.Hosting;

/// <summary>
/// A contender's server in a child process: this tool again, as <c>serve NAME --port N</c>. The child prints
/// <c>READY</c> once it listens, answers <c>counters</c> on its standard input with <c>COUNTERS ...</c>, and exits
/// when its standard input closes, so it also goes when this process dies;
/// disposing waits briefly for that, then kills the process tree. Every live child is also killed on exit.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly List<Process> s_live = new();
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly SemaphoreSlim _query = new(1, 1);
    private TaskCompletionSource<string>? _counters;

    static ServerProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        Console.CancelKeyPress += (_, _) => KillAll();
    }

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    /// <summary>The CPU time the server has used so far (user and system, all threads), from /proc on Linux.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public bool HasExited => _process.HasExited;

    public static async Task<ServerProcess> StartAsync(Contender contender, TimeSpan readyTimeout)
    {
        int port = FindFreeLoopbackPort();
        ProcessStartInfo start = CreateStartInfo(["serve", contender.Name, "--port", port.ToString()]);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new ServerProcess(process, port);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == "READY")
            {
                ready.TrySetResult();
            }
            else if (e.Data is not null && e.Data.StartsWith("COUNTERS ", StringComparison.Ordinal))
            {
                server._counters?.TrySetResult(e.Data.Substring("COUNTERS ".Length));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (server._stderr)
                {
                    server._stderr.AppendLine(e.Data);
                }
            }
        };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException(
            $"The {contender.Name} server exited with code {process.ExitCode} before it was ready: {server.Errors}"));
        process.Start();
        lock (s_live)
        {
            s_live.Add(process);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(readyTimeout);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>
    /// The server's counters now: CPU time from /proc, and the rest (allocated bytes, thread-pool work items, gen0
    /// collections, context switches) asked for over its standard input; those are -1 when the server does not
    /// answer within a second.
    /// </summary>
    public async Task<ProcessCounters> ReadCountersAsync()
    {
        string? managed = null;
        await _query.WaitAsync();
        try
        {
            var answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _counters = answer;
            await _process.StandardInput.WriteLineAsync("counters");
            await _process.StandardInput.FlushAsync();
            managed = await answer.Task.WaitAsync(TimeSpan.FromSeconds(1));
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or InvalidOperationException)
        {
            // Reported as unknown.
        }
        finally
        {
            _counters = null;
            _query.Release();
        }
        return ProcessCounters.Combine(managed, CpuTime);
    }

    /// <summary>What the server wrote to standard error, for failure messages.</summary>
    public string Errors
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString().Trim();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await _process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Never started, or already gone.
        }
        finally
        {
            lock (s_live)
            {
                s_live.Remove(_process);
            }
            _process.Dispose();
        }
    }

    /// <summary>Kills every child still running: the last resort on exit, Ctrl+C or the tool's own deadline.</summary>
    public static void KillAll()
    {
        Process[] live;
        lock (s_live)
        {
            live = s_live.ToArray();
        }
        foreach (Process process in live)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (Exception)
            {
                // Already exited.
            }
        }
    }

    // The same executable as this process: the apphost under `dotnet run`, or `dotnet Rpc.LoadTest.dll`.
    private static ProcessStartInfo CreateStartInfo(string[] arguments)
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown.");
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }

    internal static int FindFreeLoopbackPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
