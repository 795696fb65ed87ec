using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Rpc.Cli.Tests;

/// <summary>
/// The lock file through MSBuild, as a user runs it: a scratch project (importing nuget/Rpc.Contracts.targets, as
/// the package does) is built with -p:RpcUpdateContractLock=true, changed, built against the lock, and updated.
/// </summary>
public sealed class ContractLockUpdateTests : IDisposable
{
    private const string Service = """
        using System.Threading.Tasks;
        using Rpc;
        namespace Locked;
        public record Order(string Sku, int Quantity);
        [RpcService]
        public interface IOrders
        {
            Task<int> PlaceAsync(Order order, int priority);
        }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("rpc-lock-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task The_update_command_writes_the_lock_and_the_build_then_guards_it()
    {
        string root = RepositoryRoot();
        string configuration = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        File.WriteAllText(Path.Combine(_directory, "Locked.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{root}/runtime/Rpc/Rpc.csproj" SetTargetFramework="TargetFramework=net10.0" />
                <ProjectReference Include="{root}/generator/Rpc.Generators/Rpc.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
              </ItemGroup>
              <Import Project="{root}/nuget/Rpc.Contracts.targets" />
            </Project>
            """);
        string source = Path.Combine(_directory, "Service.cs");
        string lockFile = Path.Combine(_directory, "rpc-contract.lock.json");
        File.WriteAllText(source, Service);

        (int exit, string output) = await BuildAsync(configuration, "-p:RpcUpdateContractLock=true");
        Assert.True(exit == 0, output);
        using (JsonDocument written = JsonDocument.Parse(File.ReadAllText(lockFile)))
        {
            Assert.Equal("Locked.IOrders", written.RootElement.GetProperty("services")[0].GetProperty("name").GetString());
        }

        File.WriteAllText(source, Service.Replace("int priority", "long priority"));
        (exit, output) = await BuildAsync(configuration);
        Assert.NotEqual(0, exit);
        Assert.True(output.Contains("Service.cs(8,44): error RPC101", StringComparison.Ordinal), output);

        (exit, output) = await BuildAsync(configuration, "-p:RpcUpdateContractLock=true");
        Assert.True(exit == 0, output);
        Assert.Contains("\"type\": \"long\"", File.ReadAllText(lockFile), StringComparison.Ordinal);

        (exit, output) = await BuildAsync(configuration);
        Assert.True(exit == 0, output);
        Assert.DoesNotContain("RPC1", output, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Output)> BuildAsync(string configuration, params string[] extra)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _directory };
        foreach (string argument in new[] { "build", "-c", configuration, "-nologo", "-p:BuildProjectReferences=false", "-p:UseSharedCompilation=false", "-nodeReuse:false" }.Concat(extra))
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        using Process process = Process.Start(info)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await output + await error);
    }

    private static string RepositoryRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));
}
