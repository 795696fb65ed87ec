using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Client;
using Rpc.Serialization;
using Rpc.Server;

namespace Rpc.Tests.Manual;

/// <summary>The method descriptors, as the generator emits them (ids pinned by hand here).</summary>
internal static class StreamingMethods
{
    public const string ServiceName = "Rpc.Tests.Manual.IStreamingService";

    public static readonly RpcMethodDescriptor Count = new(ServiceName, "CountAsync", 0x2001, RpcMethodKind.ServerStreaming);
    public static readonly RpcMethodDescriptor Produce = new(ServiceName, "ProduceAsync", 0x2002, RpcMethodKind.ServerStreaming);
    public static readonly RpcMethodDescriptor Forever = new(ServiceName, "ForeverAsync", 0x2003, RpcMethodKind.ServerStreaming);
    public static readonly RpcMethodDescriptor FailAfter = new(ServiceName, "FailAfterAsync", 0x2004, RpcMethodKind.ServerStreaming);
    public static readonly RpcMethodDescriptor Sum = new(ServiceName, "SumAsync", 0x2005, RpcMethodKind.ClientStreaming);
    public static readonly RpcMethodDescriptor Upload = new(ServiceName, "UploadAsync", 0x2006, RpcMethodKind.ClientStreaming);
    public static readonly RpcMethodDescriptor AddEach = new(ServiceName, "AddEachAsync", 0x2007, RpcMethodKind.DuplexStreaming);
}

/// <summary>Hand-written stand-in for the generated server binder of <see cref="IStreamingService"/>.</summary>
internal static class StreamingServiceBinder
{
    public static void Bind(RpcServiceBinder<IStreamingService> binder)
    {
        binder.AddServerStreaming<int>(StreamingMethods.Count, static (IStreamingService service, ref RpcReader reader, CancellationToken ct) =>
        {
            int from = reader.ReadValue<int>();
            int count = reader.ReadValue<int>();
            return service.CountAsync(from, count, ct);
        });
        binder.AddServerStreaming<byte[]>(StreamingMethods.Produce, static (IStreamingService service, ref RpcReader reader, CancellationToken ct) =>
        {
            int count = reader.ReadValue<int>();
            int size = reader.ReadValue<int>();
            return service.ProduceAsync(count, size, ct);
        });
        binder.AddServerStreaming<int>(StreamingMethods.Forever, static (IStreamingService service, ref RpcReader reader, CancellationToken ct) =>
            service.ForeverAsync(ct));
        binder.AddServerStreaming<int>(StreamingMethods.FailAfter, static (IStreamingService service, ref RpcReader reader, CancellationToken ct) =>
        {
            int items = reader.ReadValue<int>();
            int statusCode = reader.ReadValue<int>();
            string message = reader.ReadValue<string>()!;
            return service.FailAfterAsync(items, statusCode, message, ct);
        });
        binder.AddClientStreaming<int, long>(StreamingMethods.Sum, static (IStreamingService service, ref RpcReader reader, IAsyncEnumerable<int> values, CancellationToken ct) =>
            new ValueTask<long>(service.SumAsync(values, ct)));
        binder.AddClientStreaming<byte[]>(StreamingMethods.Upload, static (IStreamingService service, ref RpcReader reader, IAsyncEnumerable<byte[]> chunks, CancellationToken ct) =>
        {
            string name = reader.ReadValue<string>()!;
            return service.UploadAsync(name, chunks, ct);
        });
        binder.AddDuplexStreaming<int, int>(StreamingMethods.AddEach, static (IStreamingService service, ref RpcReader reader, IAsyncEnumerable<int> values, CancellationToken ct) =>
        {
            int offset = reader.ReadValue<int>();
            return service.AddEachAsync(offset, values, ct);
        });
    }
}

/// <summary>What the generated module initializer does: register the proxy factory and the binder.</summary>
internal static class StreamingServiceRegistration
{
    [ModuleInitializer]
    internal static void Register()
    {
        RpcProxyRegistry.Register<IStreamingService>(static invoker => new StreamingServiceProxy(invoker));
        RpcServiceRegistry.Register<IStreamingService>(StreamingServiceBinder.Bind);
    }
}
