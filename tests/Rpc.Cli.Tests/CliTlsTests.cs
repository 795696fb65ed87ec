namespace Rpc.Cli.Tests;

/// <summary>The rpc tool against the sample server over TLS with a self-signed certificate.</summary>
public sealed class CliTlsTests : IAsyncLifetime
{
    private readonly string _certificate = Path.Combine(Path.GetTempPath(), $"rpc-cli-{Guid.NewGuid():N}.pem");
    private SampleServer _server = null!;

    public async Task InitializeAsync() => _server = await SampleServer.StartAsync(_certificate);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        File.Delete(_certificate);
    }

    [Fact]
    public async Task Insecure_skips_validation_of_the_self_signed_certificate()
    {
        CliRun run = await CliRun.RunAsync("call", _server.Address, "showcase.Showcase/AddAsync", """{"a": 1, "b": 2}""", "--insecure");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("3", run.Output.Trim());
    }

    [Fact]
    public async Task Ca_trusts_a_certificate_that_chains_to_the_given_file()
    {
        CliRun run = await CliRun.RunAsync("list", _server.Address, "--ca", _certificate);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("showcase.Showcase", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_with_default_validation_refuses_the_untrusted_certificate()
    {
        CliRun run = await CliRun.RunAsync("list", _server.Address, "--tls", "--timeout", "10s");
        Assert.NotEqual(0, run.ExitCode);
        Assert.StartsWith("rpc: ", run.Error, StringComparison.Ordinal);
    }
}
