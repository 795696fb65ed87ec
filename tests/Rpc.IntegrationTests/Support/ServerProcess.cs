using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Rpc.IntegrationTests.Support;

/// <summary>An Rpc.TestServer process serving IProbe on a loopback port, to kill (-9) or stop (SIGTERM) in a test.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public bool HasExited => _process.HasExited;

    /// <summary>Starts a server on <paramref name="port"/> (0: a free one) and waits until it listens.</summary>
    public static async Task<ServerProcess> StartAsync(int port = 0, string name = "server")
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Rpc.TestServer.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add(port.ToString());
        info.ArgumentList.Add("--name");
        info.ArgumentList.Add(name);
        Process process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + dll);
        Task<string?> line = process.StandardOutput.ReadLineAsync();
        string? first = await line.WaitAsync(TimeSpan.FromSeconds(30));
        if (first is null || !first.StartsWith("listening ", StringComparison.Ordinal))
        {
            process.Kill();
            throw new InvalidOperationException($"the test server printed '{first}' instead of its port");
        }
        return new ServerProcess(process, int.Parse(first["listening ".Length..]));
    }

    /// <summary>A port nobody listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>kill -9: no goodbye, no GoAway.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the server drains (StopAsync) and exits.</summary>
    public async Task TerminateAsync()
    {
        using Process kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])!;
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
