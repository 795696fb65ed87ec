using System;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Server;
using Rpc.Tests.Manual;
using Xunit;

namespace Rpc.Tests;

public sealed class RegistryTests
{
    public interface INeverGenerated
    {
        ValueTask DoAsync();
    }

    public interface IClashingService
    {
        ValueTask<int> AddAgainAsync(int a, int b);
    }

    private sealed class Clashing : IClashingService
    {
        public ValueTask<int> AddAgainAsync(int a, int b) => new(a + b);
    }

    private sealed class NeverGenerated : INeverGenerated
    {
        public ValueTask DoAsync() => default;
    }

    static RegistryTests()
    {
        // Same id as CalculatorMethods.Add: two services on one server must not both claim it.
        var clash = new RpcMethodDescriptor("Clash", "AddAgainAsync", CalculatorMethods.Add.Id, RpcMethodKind.Unary);
        RpcServiceRegistry.Register<IClashingService>(binder => binder.AddUnary<int>(clash,
            static (IClashingService service, ref Serialization.RpcReader reader, CancellationToken ct) =>
                service.AddAgainAsync(reader.ReadValue<int>(), reader.ReadValue<int>())));
    }

    [Fact]
    public async Task Creating_a_proxy_for_an_interface_without_generated_code_names_the_fix()
    {
        await using var server = new RpcServer();
        var endPoint = new Transport.InMemoryEndPoint("registry-" + Guid.NewGuid().ToString("N"));
        await server.ListenAsync(endPoint);
        await using RpcClient client = await RpcClient.ConnectAsync(endPoint);
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => client.CreateProxy<INeverGenerated>());
        Assert.Contains("No generated proxy for", error.Message);
        Assert.Contains("[RpcService]", error.Message);
    }

    [Fact]
    public async Task Adding_a_service_without_a_generated_binder_throws()
    {
        await using var server = new RpcServer();
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => server.AddService<INeverGenerated>(new NeverGenerated()));
        Assert.Contains("[RpcService]", error.Message);
    }

    [Fact]
    public async Task Two_services_claiming_one_method_id_on_one_server_are_refused_at_AddService()
    {
        await using var server = new RpcServer();
        server.AddService<ICalculatorService>(new CalculatorService());
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => server.AddService<IClashingService>(new Clashing()));
        Assert.Contains(CalculatorMethods.Add.Id.ToString(), error.Message);

        // The same service alone is fine on another server.
        await using var other = new RpcServer();
        other.AddService<IClashingService>(new Clashing());
    }
}
