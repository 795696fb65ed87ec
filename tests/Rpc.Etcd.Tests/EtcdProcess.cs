using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Rpc.Etcd.Tests;

/// <summary>
/// One etcd server of our own on free loopback ports with a temporary data directory, which a test can stop
/// (kill -9) and start again on the same ports and data, as an operator restarting etcd would.
/// </summary>
internal sealed class EtcdProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly string _directory;
    private readonly int _peerPort;
    private Process? _process;

    private EtcdProcess(string binary, string directory, int clientPort, int peerPort)
    {
        Binary = binary;
        _directory = directory;
        ClientPort = clientPort;
        _peerPort = peerPort;
    }

    internal string Binary { get; }

    internal int ClientPort { get; }

    internal string Endpoints => $"http://127.0.0.1:{ClientPort}";

    /// <summary>
    /// Installs Debian's etcd-server package when this runs as root where apt-get exists (the machines this project
    /// builds on), and returns the binary; null when that is not possible or fails.
    /// </summary>
    internal static async Task<string?> TryInstallWithAptAsync()
    {
        if (!File.Exists("/usr/bin/apt-get") || Environment.UserName != "root")
        {
            return null;
        }
        foreach (string[] command in new[] { new[] { "install", "-y", "-q", "--no-install-recommends", "etcd-server" }, new[] { "update", "-q" }, new[] { "install", "-y", "-q", "--no-install-recommends", "etcd-server" } })
        {
            if (FindBinary() is { } found)
            {
                return found;
            }
            var info = new System.Diagnostics.ProcessStartInfo("/usr/bin/apt-get") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string argument in command)
            {
                info.ArgumentList.Add(argument);
            }
            info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
            using System.Diagnostics.Process? apt = System.Diagnostics.Process.Start(info);
            if (apt is null)
            {
                return null;
            }
            Task<string> output = apt.StandardOutput.ReadToEndAsync();
            Task<string> errors = apt.StandardError.ReadToEndAsync();
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            try
            {
                await apt.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                apt.Kill();
                return null;
            }
            await Task.WhenAll(output, errors);
        }
        return FindBinary();
    }

    /// <summary>The etcd binary on PATH (or /usr/bin/etcd), or null.</summary>
    internal static string? FindBinary()
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, "etcd");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return File.Exists("/usr/bin/etcd") ? "/usr/bin/etcd" : null;
    }

    internal static async Task<EtcdProcess> StartNewAsync(string binary)
    {
        string directory = Path.Combine(Path.GetTempPath(), "rpc-etcd-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var etcd = new EtcdProcess(binary, directory, FreePort(), FreePort());
        await etcd.StartAsync();
        return etcd;
    }

    /// <summary>Starts the server (again) and waits until /health says it is healthy.</summary>
    internal async Task StartAsync()
    {
        string name = "test";
        string peer = $"http://127.0.0.1:{_peerPort}";
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
        {
            "--name", name,
            "--data-dir", Path.Combine(_directory, "data"),
            "--listen-client-urls", Endpoints,
            "--advertise-client-urls", Endpoints,
            "--listen-peer-urls", peer,
            "--initial-advertise-peer-urls", peer,
            "--initial-cluster", $"{name}={peer}",
            "--logger", "zap",
            "--log-outputs", Path.Combine(_directory, "etcd.log"),
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + Binary);
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitHealthyAsync(Endpoints, TimeSpan.FromSeconds(20), _process);
    }

    /// <summary>Kills the server at once, as a crash would.</summary>
    internal async Task StopAsync()
    {
        Process? process = Interlocked.Exchange(ref _process, null);
        if (process is null)
        {
            return;
        }

        process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal static async Task WaitHealthyAsync(string endpoints, TimeSpan timeout, Process? process = null)
    {
        string url = endpoints.Split(',')[0].TrimEnd('/') + "/health";
        var deadline = Stopwatch.StartNew();
        string last = "no answer";
        while (deadline.Elapsed < timeout)
        {
            if (process is { HasExited: true })
            {
                throw new InvalidOperationException($"etcd exited with code {process.ExitCode} before it was healthy.");
            }

            try
            {
                last = await Http.GetStringAsync(url);
                if (last.Contains("\"health\":\"true\"", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"etcd at {url} was not healthy within {timeout.TotalSeconds} s (last: {last}).");
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
