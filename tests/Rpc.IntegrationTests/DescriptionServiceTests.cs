using System.Net;
using System.Text;
using System.Text.Json;
using Rpc;
using Rpc.Contracts;
using Rpc.Serialization;

namespace Rpc.IntegrationTests;

/// <summary>The built-in description service, over a real socket, called as a tool would: by descriptor, with raw bytes.</summary>
public sealed class DescriptionServiceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private static async Task<(RpcServer Server, RpcClient Client)> StartAsync(bool enableDescription)
    {
        var server = new RpcServer(new RpcServerOptions { EnableDescription = enableDescription });
        server.AddService<IInventory>(new Inventory());
        server.AddService<ICalculator>(new Calculator());
        EndPoint bound = await server.ListenAsync(new IPEndPoint(IPAddress.Loopback, 0));
        RpcClient client = await RpcClient.ConnectAsync(bound).WaitAsync(Timeout);
        return (server, client);
    }

    private static async Task<string> CallForStringAsync(RpcClient client, RpcMethodDescriptor method, string? argument = null)
    {
        byte[] arguments = argument is null ? [] : RpcSerializer.Serialize(argument);
        byte[]? result = await RpcRawCalls.InvokeUnaryAsync(client, method, arguments, hasResult: true, CancellationToken.None).AsTask().WaitAsync(Timeout);
        return RpcSerializer.Deserialize<string>(result!)!;
    }

    [Fact]
    public async Task ListServices_names_every_hosted_service_and_its_methods_but_not_itself()
    {
        var (server, client) = await StartAsync(enableDescription: true);
        await using (server)
        await using (client)
        {
            using JsonDocument list = JsonDocument.Parse(await CallForStringAsync(client, RpcDescriptionService.ListServices));
            string[] names = list.RootElement.GetProperty("services").EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToArray();
            // The health service every server hosts is listed too; it is hand-written, so it has no contract.
            Assert.Equal(["Rpc.Health.IRpcHealth", "Rpc.IntegrationTests.IInventory", "tests.calculator"], names);
            Assert.False(list.RootElement.GetProperty("services")[0].GetProperty("hasContract").GetBoolean());
            JsonElement inventory = list.RootElement.GetProperty("services")[1];
            Assert.True(inventory.GetProperty("hasContract").GetBoolean());
            Assert.Contains(inventory.GetProperty("methods").EnumerateArray(), m => m.GetProperty("name").GetString() == "AuditAsync" && m.GetProperty("kind").GetString() == "oneWay");
        }
    }

    [Fact]
    public async Task GetServiceContract_returns_the_generated_contract_with_its_types()
    {
        var (server, client) = await StartAsync(enableDescription: true);
        await using (server)
        await using (client)
        {
            string json = await CallForStringAsync(client, RpcDescriptionService.GetServiceContract, "Rpc.IntegrationTests.IInventory");
            Assert.True(RpcContractRegistry.TryGetContract("Rpc.IntegrationTests.IInventory", out string registered));
            Assert.Equal(registered, json);
            using JsonDocument contract = JsonDocument.Parse(json);
            Assert.Equal("rpc-contract/1", contract.RootElement.GetProperty("schema").GetString());
            string[] types = contract.RootElement.GetProperty("types").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).ToArray();
            Assert.Contains("Rpc.IntegrationTests.Item", types);
            Assert.Contains("Rpc.IntegrationTests.Category", types);
        }
    }

    [Fact]
    public async Task An_unknown_service_is_NotFound()
    {
        var (server, client) = await StartAsync(enableDescription: true);
        await using (server)
        await using (client)
        {
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => CallForStringAsync(client, RpcDescriptionService.GetServiceContract, "nope.Nope"));
            Assert.Equal(RpcStatusCode.NotFound, error.StatusCode);
        }
    }

    [Fact]
    public async Task Without_EnableDescription_the_server_does_not_answer_description_calls()
    {
        var (server, client) = await StartAsync(enableDescription: false);
        await using (server)
        await using (client)
        {
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => CallForStringAsync(client, RpcDescriptionService.ListServices));
            Assert.Equal(RpcStatusCode.Unimplemented, error.StatusCode);
        }
    }
}
