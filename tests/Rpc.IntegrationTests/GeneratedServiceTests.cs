using System.Net;
using Rpc;

namespace Rpc.IntegrationTests;

/// <summary>Generated proxies and dispatchers end to end, over real sockets.</summary>
public sealed class GeneratedServiceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private static async Task<(RpcServer Server, RpcClient Client, Inventory Service)> StartAsync(string transport, RpcServerOptions? options = null)
    {
        var service = new Inventory();
        var server = new RpcServer(options);
        server.AddService<IInventory>(service);
        server.AddService<ICalculator>(new Calculator());
        EndPoint bound = await server.ListenAsync(Transports.Create(transport));
        RpcClient client = await RpcClient.ConnectAsync(bound).WaitAsync(Timeout);
        return (server, client, service);
    }

    private static Item Hammer => new("T-1", "Hammer", 12.5m, Category.Tools, ["steel", "heavy"]);

    [Theory]
    [MemberData(nameof(Transports.All), MemberType = typeof(Transports))]
    public async Task Records_lists_dictionaries_enums_nullables_and_tuples_cross_the_wire(string transport)
    {
        var (server, client, _) = await StartAsync(transport);
        await using (server)
        await using (client)
        {
            IInventory inventory = client.CreateProxy<IInventory>();
            Assert.Equal(1, await inventory.AddAsync(Hammer).WaitAsync(Timeout));
            Assert.Equal(3, await inventory.AddAsync([new Item("F-1", "Apple", 0.5m, Category.Food, []), new Item("F-2", "Pear", 0.75m, Category.Food, ["ripe"])]).WaitAsync(Timeout));

            Item? found = await inventory.FindAsync("T-1").AsTask().WaitAsync(Timeout);
            Assert.NotNull(found);
            Assert.Equal(Hammer with { Tags = found!.Tags }, found);
            Assert.Equal(["steel", "heavy"], found.Tags);
            Assert.Null(await inventory.FindAsync("nope").AsTask().WaitAsync(Timeout));

            StockReport report = await inventory.ReportAsync(["T-1", "F-2", "X"], includeMissing: true).AsTask().WaitAsync(Timeout);
            Assert.Equal(new Dictionary<string, int> { ["T-1"] = 1, ["F-2"] = 1 }, report.Levels);
            Assert.Equal(1, report.Missing);
            Assert.Equal(DateTimeKind.Utc, report.TakenAtUtc.Kind);

            (int count, decimal total) = await inventory.SummarizeAsync(Category.Food).AsTask().WaitAsync(Timeout);
            Assert.Equal((2, 1.25m), (count, total));

            Assert.Equal("pong: hi", await inventory.PingAsync("hi").WaitAsync(Timeout));
            Assert.Equal(42L, await client.CreateProxy<ICalculator>().MultiplyAsync(6, 7).AsTask().WaitAsync(Timeout));
        }
    }

    [Theory]
    [MemberData(nameof(Transports.All), MemberType = typeof(Transports))]
    public async Task A_thousand_concurrent_generated_calls_on_one_connection_each_get_their_own_result(string transport)
    {
        var (server, client, _) = await StartAsync(transport);
        await using (server)
        await using (client)
        {
            ICalculator calculator = client.CreateProxy<ICalculator>();
            long[] results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => calculator.MultiplyAsync(i, 3).AsTask())).WaitAsync(Timeout);
            Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i * 3), results);
        }
    }

    [Theory]
    [MemberData(nameof(Transports.All), MemberType = typeof(Transports))]
    public async Task Service_exceptions_map_to_statuses_without_leaking_details(string transport)
    {
        var (server, client, _) = await StartAsync(transport);
        await using (server)
        await using (client)
        {
            IInventory inventory = client.CreateProxy<IInventory>();
            RpcException invalid = await Assert.ThrowsAsync<RpcException>(() => inventory.AddAsync(Hammer with { Price = -1 }).WaitAsync(Timeout));
            Assert.Equal(RpcStatusCode.InvalidArgument, invalid.StatusCode);
            Assert.Equal("price of T-1 is negative", invalid.Message);

            RpcException unknown = await Assert.ThrowsAsync<RpcException>(() => inventory.RemoveAsync("missing").WaitAsync(Timeout));
            Assert.Equal(RpcStatusCode.Unknown, unknown.StatusCode);
            Assert.DoesNotContain("secret internal detail", unknown.Message);
            Assert.Null(unknown.ServerDetail);

            // The connection still serves calls after failures.
            Assert.Equal("pong: still here", await inventory.PingAsync("still here").WaitAsync(Timeout));
        }
    }

    [Fact]
    public async Task Exception_details_cross_the_wire_only_when_the_server_opts_in()
    {
        var (server, client, _) = await StartAsync("tcp", new RpcServerOptions { IncludeExceptionDetails = true });
        await using (server)
        await using (client)
        {
            RpcException unknown = await Assert.ThrowsAsync<RpcException>(() => client.CreateProxy<IInventory>().RemoveAsync("missing").WaitAsync(Timeout));
            Assert.Contains("secret internal detail", unknown.ServerDetail);
        }
    }

    [Theory]
    [MemberData(nameof(Transports.All), MemberType = typeof(Transports))]
    public async Task Cancelling_a_generated_call_cancels_the_server_token(string transport)
    {
        var (server, client, service) = await StartAsync(transport);
        await using (server)
        await using (client)
        {
            using var cancellation = new CancellationTokenSource();
            Task call = client.CreateProxy<IInventory>().WaitAsync(60_000, cancellation.Token).AsTask();
            await Task.Delay(100);
            cancellation.Cancel();
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => call.WaitAsync(Timeout));
            Assert.Equal(RpcStatusCode.Cancelled, error.StatusCode);
            Assert.True(await service.WaitCancelled.Task.WaitAsync(Timeout));
        }
    }

    [Fact]
    public async Task A_service_the_server_does_not_host_is_unimplemented()
    {
        var server = new RpcServer();
        server.AddService<ICalculator>(new Calculator());
        await using (server)
        {
            EndPoint bound = await server.ListenAsync(Transports.Create("tcp"));
            await using RpcClient client = await RpcClient.ConnectAsync(bound);
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.CreateProxy<IInventory>().PingAsync("x").WaitAsync(Timeout));
            Assert.Equal(RpcStatusCode.Unimplemented, error.StatusCode);
        }
    }

    [Fact]
    public async Task One_way_calls_arrive()
    {
        var (server, client, service) = await StartAsync("tcp");
        await using (server)
        await using (client)
        {
            IInventory inventory = client.CreateProxy<IInventory>();
            for (int i = 0; i < 50; i++)
            {
                await inventory.AuditAsync("entry " + i).AsTask().WaitAsync(Timeout);
            }
            // One-way calls complete when written; a following unary call on the same connection is answered after them.
            await inventory.PingAsync("barrier").WaitAsync(Timeout);
            DateTime until = DateTime.UtcNow + Timeout;
            while (service.Audit.Count < 50 && DateTime.UtcNow < until)
            {
                await Task.Delay(10);
            }
            Assert.Equal(50, service.Audit.Count);
        }
    }

    [Fact]
    public void Generated_method_ids_are_stable_and_overloads_are_distinct()
    {
        Assert.Equal("tests.calculator", CalculatorRpcMethods.ServiceName);
        Assert.NotEqual(InventoryRpcMethods.AddAsync.Id, InventoryRpcMethods.AddAsync_2.Id);
        Assert.Equal(RpcMethodKind.OneWay, InventoryRpcMethods.AuditAsync.Kind);
        // Pinned by the algorithm (FNV-1a of "tests.calculator/MultiplyAsync(int,int)"): a change here breaks deployed peers.
        Assert.Equal(Fnv1a("tests.calculator/MultiplyAsync(int,int)"), CalculatorRpcMethods.MultiplyAsync.Id);
    }

    private static uint Fnv1a(string text)
    {
        uint hash = 2166136261;
        foreach (byte b in System.Text.Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619;
        }
        return hash;
    }
}
