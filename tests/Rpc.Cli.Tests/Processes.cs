using System.Diagnostics;

namespace Rpc.Cli.Tests;

/// <summary>The sample server as a process, and runs of the rpc tool against it.</summary>
internal sealed class SampleServer : IAsyncDisposable
{
    private readonly Process _process;

    private SampleServer(Process process, int port)
    {
        _process = process;
        Address = $"tcp://127.0.0.1:{port}";
    }

    public string Address { get; }

    /// <summary>Starts the server; with <paramref name="tlsCertificateFile"/>, over TLS, its certificate written there.</summary>
    public static async Task<SampleServer> StartAsync(string? tlsCertificateFile = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Rpc.Cli.SampleServer.dll"));
        if (tlsCertificateFile is not null)
        {
            info.ArgumentList.Add("--tls");
            info.ArgumentList.Add(tlsCertificateFile);
        }
        Process process = Process.Start(info)!;
        string? first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (first is null || !first.StartsWith("listening ", StringComparison.Ordinal))
        {
            process.Kill();
            throw new InvalidOperationException($"the sample server printed '{first}' instead of its port");
        }
        return new SampleServer(process, int.Parse(first["listening ".Length..]));
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        if (!await Task.Run(() => _process.WaitForExit(10_000)))
        {
            _process.Kill();
        }
        _process.Dispose();
    }
}

/// <summary>One run of <c>rpc</c>: its exit code and what it printed.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static async Task<CliRun> RunAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Rpc.Cli.dll"));
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(info)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return new CliRun(process.ExitCode, await output, await error);
    }

    public override string ToString() => $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}";
}
