using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Rpc.Etcd.Tests;

/// <summary>
/// An Rpc.TestServer process serving IProbe on a free loopback port and registered in etcd as an instance of a
/// service (<c>--etcd</c>): to kill (-9) or stop (SIGTERM: StopAsync deregisters, then drains) in a test.
/// </summary>
internal sealed class ProbeServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors;

    private ProbeServerProcess(Process process, StringBuilder errors, string name, int port)
    {
        _process = process;
        _errors = errors;
        Name = name;
        Port = port;
    }

    /// <summary>The name the server answers IProbe.NameAsync with.</summary>
    public string Name { get; }

    public int Port { get; }

    /// <summary>The instance's id in the registry (the default: its address).</summary>
    public string Id => $"127.0.0.1:{Port}";

    /// <summary>What the server wrote to standard error (the registry's log), for failure messages.</summary>
    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>Starts a server and waits until it listens and is registered.</summary>
    public static async Task<ProbeServerProcess> StartAsync(string name, string etcdEndpoints, string prefix, string service, int ttlSeconds)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Rpc.TestServer.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
        {
            dll, "--port", "0", "--name", name, "--etcd", etcdEndpoints, "--prefix", prefix,
            "--service", service, "--ttl", ttlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            info.ArgumentList.Add(argument);
        }
        Process process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + dll);
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errors)
                {
                    errors.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        string? listening = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        string? registered = listening is null ? null : await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (listening is null || !listening.StartsWith("listening ", StringComparison.Ordinal) || registered != "registered")
        {
            process.Kill();
            throw new InvalidOperationException($"the test server printed '{listening}', '{registered}'; stderr: {errors}");
        }
        var server = new ProbeServerProcess(process, errors, name, int.Parse(listening["listening ".Length..], System.Globalization.CultureInfo.InvariantCulture));
        return server;
    }

    /// <summary>kill -9: no deregistration, no GoAway; only its lease's expiry removes it from etcd.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the server deregisters, drains (StopAsync) and exits.</summary>
    public async Task TerminateAsync()
    {
        using Process kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }
        _process.Dispose();
    }
}
