using System;
using System.Collections.Concurrent;
using System.Threading.Tasks;
using Xunit;

namespace Rpc.Etcd.Tests;

/// <summary>
/// The etcd the tests talk to: the one named by RPC_TEST_ETCD_ENDPOINTS (what .ci/run starts), else one started
/// here from the etcd binary, so that a plain <c>dotnet test</c> works too. With neither, every etcd test fails
/// with a message saying how to get one: they never pass without having run.
/// </summary>
public sealed class EtcdFixture : IAsyncLifetime
{
    internal const string EndpointsVariable = "RPC_TEST_ETCD_ENDPOINTS";
    private EtcdProcess? _ownEtcd;

    /// <summary>The etcd URL(s) to use.</summary>
    public string Endpoints { get; private set; } = "";

    public async Task InitializeAsync()
    {
        string? configured = Environment.GetEnvironmentVariable(EndpointsVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            Endpoints = configured;
            await EtcdProcess.WaitHealthyAsync(configured, TimeSpan.FromSeconds(20));
            return;
        }

        // A fresh Debian machine (the README's `dotnet test`): install Debian's etcd-server as .ci/run would.
        string binary = EtcdProcess.FindBinary() ?? await EtcdProcess.TryInstallWithAptAsync() ?? throw new InvalidOperationException(
            $"The etcd tests need etcd: set {EndpointsVariable} to a running etcd (http://127.0.0.1:2379), or install " +
            "the etcd binary (Debian: apt-get install etcd-server) so the tests can start their own. .ci/run does both.");
        _ownEtcd = await EtcdProcess.StartNewAsync(binary);
        Endpoints = _ownEtcd.Endpoints;
    }

    public async Task DisposeAsync()
    {
        if (_ownEtcd is not null)
        {
            await _ownEtcd.DisposeAsync();
        }
    }

    /// <summary>Options for a registry on this etcd under a prefix no other test uses, logging into <paramref name="log"/>.</summary>
    internal EtcdRegistryOptions Options(string prefix, TimeSpan leaseTtl, ConcurrentQueue<string>? log = null) => new()
    {
        Endpoints = Endpoints,
        Prefix = prefix,
        LeaseTtl = leaseTtl,
        RequestTimeout = TimeSpan.FromSeconds(2),
        Log = (message, exception) => log?.Enqueue(exception is null ? message : $"{message}: {exception.GetType().Name}: {exception.Message}"),
    };

    internal static string UniquePrefix() => $"/rpc-test/{Guid.NewGuid():N}/";
}

[CollectionDefinition(Name)]
public sealed class EtcdCollection : ICollectionFixture<EtcdFixture>
{
    public const string Name = "etcd";
}
