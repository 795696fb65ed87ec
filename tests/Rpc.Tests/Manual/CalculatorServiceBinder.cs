using System.Runtime.CompilerServices;
using System.Threading;
using Rpc.Client;
using Rpc.Serialization;
using Rpc.Server;

namespace Rpc.Tests.Manual;

/// <summary>The method descriptors, as the generator emits them (ids pinned by hand here).</summary>
internal static class CalculatorMethods
{
    public const string ServiceName = "Rpc.Tests.Manual.ICalculatorService";

    public static readonly RpcMethodDescriptor Add = new(ServiceName, "AddAsync", 0x1001, RpcMethodKind.Unary);
    public static readonly RpcMethodDescriptor Echo = new(ServiceName, "EchoAsync", 0x1002, RpcMethodKind.Unary);
    public static readonly RpcMethodDescriptor Sleep = new(ServiceName, "SleepAsync", 0x1003, RpcMethodKind.Unary);
    public static readonly RpcMethodDescriptor Fail = new(ServiceName, "FailAsync", 0x1004, RpcMethodKind.Unary);
    public static readonly RpcMethodDescriptor Reset = new(ServiceName, "ResetAsync", 0x1005, RpcMethodKind.Unary);
    public static readonly RpcMethodDescriptor GetBytes = new(ServiceName, "GetBytesAsync", 0x1006, RpcMethodKind.Unary);
    public static readonly RpcMethodDescriptor Notify = new(ServiceName, "NotifyAsync", 0x1007, RpcMethodKind.OneWay);
    public static readonly RpcMethodDescriptor Block = new(ServiceName, "BlockAsync", 0x1008, RpcMethodKind.Unary);
}

/// <summary>Hand-written stand-in for the generated server binder.</summary>
internal static class CalculatorServiceBinder
{
    public static void Bind(RpcServiceBinder<ICalculatorService> binder)
    {
        binder.AddUnary<int>(CalculatorMethods.Add, static (ICalculatorService service, ref RpcReader reader, CancellationToken ct) =>
        {
            int a = reader.ReadValue<int>();
            int b = reader.ReadValue<int>();
            return service.AddAsync(a, b, ct);
        });
        binder.AddUnary<string>(CalculatorMethods.Echo, static (ICalculatorService service, ref RpcReader reader, CancellationToken ct) =>
        {
            string text = reader.ReadValue<string>()!;
            return new System.Threading.Tasks.ValueTask<string>(service.EchoAsync(text, ct));
        });
        binder.AddUnary(CalculatorMethods.Sleep, static (ICalculatorService service, ref RpcReader reader, CancellationToken ct) =>
        {
            int milliseconds = reader.ReadValue<int>();
            return service.SleepAsync(milliseconds, ct);
        });
        binder.AddUnary(CalculatorMethods.Fail, static (ICalculatorService service, ref RpcReader reader, CancellationToken ct) =>
        {
            int statusCode = reader.ReadValue<int>();
            string message = reader.ReadValue<string>()!;
            return service.FailAsync(statusCode, message, ct);
        });
        binder.AddUnary(CalculatorMethods.Reset, static (ICalculatorService service, ref RpcReader reader, CancellationToken ct) =>
            service.ResetAsync());
        binder.AddUnary<byte[]>(CalculatorMethods.GetBytes, static (ICalculatorService service, ref RpcReader reader, CancellationToken ct) =>
        {
            int count = reader.ReadValue<int>();
            return service.GetBytesAsync(count, ct);
        });
        binder.AddUnary<int>(CalculatorMethods.Block, static (ICalculatorService service, ref RpcReader reader, CancellationToken ct) =>
        {
            int milliseconds = reader.ReadValue<int>();
            return service.BlockAsync(milliseconds);
        });
        binder.AddUnary(CalculatorMethods.Notify, static (ICalculatorService service, ref RpcReader reader, CancellationToken ct) =>
        {
            string message = reader.ReadValue<string>()!;
            return service.NotifyAsync(message);
        });
    }
}

/// <summary>What the generated module initializer does: register the proxy factory and the binder.</summary>
internal static class CalculatorServiceRegistration
{
    [ModuleInitializer]
    internal static void Register()
    {
        RpcProxyRegistry.Register<ICalculatorService>(static invoker => new CalculatorServiceProxy(invoker));
        RpcServiceRegistry.Register<ICalculatorService>(CalculatorServiceBinder.Bind);
    }
}
