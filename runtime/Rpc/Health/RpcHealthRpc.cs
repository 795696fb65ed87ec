#pragma warning disable CA2255 // a module initializer is how proxies and binders register, as generated code does
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Client;
using Rpc.Serialization;
using Rpc.Server;

namespace Rpc.Health;

/// <summary>
/// The wire side of <see cref="IRpcHealth"/>, written by hand exactly as the generator emits it (the core project does
/// not run the generator on itself): the method descriptors, whose ids are the generator's FNV-1a ids of
/// <c>Rpc.Health.IRpcHealth/CheckAsync(string)</c> and <c>.../WatchAsync(string)</c>, so a client whose own build
/// generated a proxy of the same interface would interoperate.
/// </summary>
public static class RpcHealthRpc
{
    /// <summary>The service name on the wire.</summary>
    public const string ServiceName = "Rpc.Health.IRpcHealth";

    /// <summary><c>CheckAsync</c>, id 0xCBB7B0F7.</summary>
    public static readonly RpcMethodDescriptor CheckAsync = new(ServiceName, "CheckAsync", 0xCBB7B0F7u, RpcMethodKind.Unary);

    /// <summary><c>WatchAsync</c>, id 0xCEA4080A.</summary>
    public static readonly RpcMethodDescriptor WatchAsync = new(ServiceName, "WatchAsync", 0xCEA4080Au, RpcMethodKind.ServerStreaming);

    /// <summary>Registers the proxy and the binder when the runtime loads, as a generated module initializer does.</summary>
    [ModuleInitializer]
    internal static void Register()
    {
        RpcProxyRegistry.Register<IRpcHealth>(static invoker => new Proxy(invoker));
        RpcServiceRegistry.Register<IRpcHealth>(Bind);
    }

    /// <summary>Adds a handler for both methods.</summary>
    internal static void Bind(RpcServiceBinder<IRpcHealth> binder)
    {
        binder.AddUnary<RpcHealthStatus>(CheckAsync, static (IRpcHealth service, ref RpcReader reader, CancellationToken cancellationToken) =>
        {
            string name = reader.ReadString()!;
            return service.CheckAsync(name, cancellationToken);
        });
        binder.AddServerStreaming<RpcHealthStatus>(WatchAsync, static (IRpcHealth service, ref RpcReader reader, CancellationToken cancellationToken) =>
        {
            string name = reader.ReadString()!;
            return service.WatchAsync(name, cancellationToken);
        });
    }

    /// <summary>Calls <see cref="IRpcHealth"/> on a remote server.</summary>
    private sealed class Proxy : IRpcHealth
    {
        private readonly IRpcCallInvoker _invoker;

        public Proxy(IRpcCallInvoker invoker) => _invoker = invoker;

        public ValueTask<RpcHealthStatus> CheckAsync(string service, CancellationToken ct)
        {
            RpcOutgoingCall call = Start(RpcHealthRpc.CheckAsync, service, ct);
            return call.InvokeAsync<RpcHealthStatus>();
        }

        public IAsyncEnumerable<RpcHealthStatus> WatchAsync(string service, CancellationToken ct)
        {
            RpcOutgoingCall call = Start(RpcHealthRpc.WatchAsync, service, ct);
            return call.InvokeServerStreaming<RpcHealthStatus>();
        }

        private RpcOutgoingCall Start(RpcMethodDescriptor method, string service, CancellationToken ct)
        {
            RpcOutgoingCall call = _invoker.StartCall(method, ct);
            try
            {
                RpcWriter writer = call.CreateArgumentWriter();
                writer.WriteString(service);
                writer.Flush();
            }
            catch
            {
                call.Abandon();
                throw;
            }
            return call;
        }
    }
}
