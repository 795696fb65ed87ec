using System.Runtime.CompilerServices;
using System.Threading;
using Rpc.Client;
using Rpc.Serialization;
using Rpc.Server;

namespace Rpc.Tests.Manual;

/// <summary>The method descriptors, as the generator emits them (ids pinned by hand here).</summary>
internal static class ContextMethods
{
    public const string ServiceName = "Rpc.Tests.Manual.IContextService";

    public static readonly RpcMethodDescriptor GetHeader = new(ServiceName, "GetHeaderAsync", 0x3001, RpcMethodKind.Unary);
    public static readonly RpcMethodDescriptor GetBinaryHeader = new(ServiceName, "GetBinaryHeaderAsync", 0x3002, RpcMethodKind.Unary);
    public static readonly RpcMethodDescriptor Annotate = new(ServiceName, "AnnotateAsync", 0x3003, RpcMethodKind.Unary);
    public static readonly RpcMethodDescriptor FailWithTrailers = new(ServiceName, "FailWithTrailersAsync", 0x3004, RpcMethodKind.Unary);
    public static readonly RpcMethodDescriptor GetDeadline = new(ServiceName, "GetDeadlineAsync", 0x3005, RpcMethodKind.Unary);
    public static readonly RpcMethodDescriptor HasContext = new(ServiceName, "HasContextAsync", 0x3007, RpcMethodKind.Unary);
    public static readonly RpcMethodDescriptor FireAndFail = new(ServiceName, "FireAndFailAsync", 0x3006, RpcMethodKind.OneWay);
}

/// <summary>Hand-written stand-in for the generated server binder of <see cref="IContextService"/>.</summary>
internal static class ContextServiceBinder
{
    public static void Bind(RpcServiceBinder<IContextService> binder)
    {
        binder.AddUnary<string?>(ContextMethods.GetHeader, static (IContextService service, ref RpcReader reader, CancellationToken ct) =>
        {
            string key = reader.ReadValue<string>()!;
            return service.GetHeaderAsync(key, ct);
        });
        binder.AddUnary<byte[]?>(ContextMethods.GetBinaryHeader, static (IContextService service, ref RpcReader reader, CancellationToken ct) =>
        {
            string key = reader.ReadValue<string>()!;
            return service.GetBinaryHeaderAsync(key, ct);
        });
        binder.AddUnary<string>(ContextMethods.Annotate, static (IContextService service, ref RpcReader reader, CancellationToken ct) =>
        {
            string servedBy = reader.ReadValue<string>()!;
            string cost = reader.ReadValue<string>()!;
            return service.AnnotateAsync(servedBy, cost, ct);
        });
        binder.AddUnary(ContextMethods.FailWithTrailers, static (IContextService service, ref RpcReader reader, CancellationToken ct) =>
        {
            int statusCode = reader.ReadValue<int>();
            string message = reader.ReadValue<string>()!;
            return service.FailWithTrailersAsync(statusCode, message, ct);
        });
        binder.AddUnary<long>(ContextMethods.GetDeadline, static (IContextService service, ref RpcReader reader, CancellationToken ct) =>
            service.GetDeadlineAsync(ct));
        binder.AddUnary<bool>(ContextMethods.HasContext, static (IContextService service, ref RpcReader reader, CancellationToken ct) =>
            service.HasContextAsync());
        binder.AddUnary(ContextMethods.FireAndFail, static (IContextService service, ref RpcReader reader, CancellationToken ct) =>
        {
            string message = reader.ReadValue<string>()!;
            return service.FireAndFailAsync(message);
        });
    }
}

/// <summary>What the generated module initializer does: register the proxy factory and the binder.</summary>
internal static class ContextServiceRegistration
{
    [ModuleInitializer]
    internal static void Register()
    {
        RpcProxyRegistry.Register<IContextService>(static invoker => new ContextServiceProxy(invoker));
        RpcServiceRegistry.Register<IContextService>(ContextServiceBinder.Bind);
    }
}
