using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Serialization;
using Rpc.Server;

namespace Rpc.Contracts;

/// <summary>
/// The built-in description service a server hosts when <see cref="RpcServerOptions.EnableDescription"/> is set: it
/// lists the services the server hosts and serves their contracts (docs/contracts.md), so tools can call a server
/// without a compiled contract. Its methods use ids reserved for built-in services (0xFFFFFF00 and up); it is
/// written by hand because the runtime does not run the generator on itself.
/// </summary>
public sealed class RpcDescriptionService
{
    /// <summary>The service name on the wire.</summary>
    public const string ServiceName = "rpc.Description";

    /// <summary>The first method id of the range reserved for built-in services.</summary>
    public const uint ReservedIdStart = 0xFFFFFF00u;

    /// <summary>
    /// <c>ListServices()</c>: no arguments; the result is a string, a JSON object
    /// <c>{"services": [{"name", "hasContract", "methods": [{"name", "id", "kind", "idempotent"}]}]}</c>.
    /// </summary>
    public static readonly RpcMethodDescriptor ListServices = new(ServiceName, "ListServices", ReservedIdStart + 1, RpcMethodKind.Unary) { IsIdempotent = true };

    /// <summary>
    /// <c>GetServiceContract(string serviceName)</c>: the result is the service's contract document, a JSON string;
    /// <see cref="RpcStatusCode.NotFound"/> when the server does not host the service or has no contract for it.
    /// </summary>
    public static readonly RpcMethodDescriptor GetServiceContract = new(ServiceName, "GetServiceContract", ReservedIdStart + 2, RpcMethodKind.Unary) { IsIdempotent = true };

    private readonly RpcServer _server;

    private RpcDescriptionService(RpcServer server) => _server = server;

    /// <summary>Adds the description service to <paramref name="server"/>.</summary>
    internal static void AddTo(RpcServer server)
    {
        RpcServiceRegistry.Register<RpcDescriptionService>(Bind);
        server.AddService(new RpcDescriptionService(server));
    }

    private static void Bind(RpcServiceBinder<RpcDescriptionService> binder)
    {
        binder.AddUnary<string>(ListServices, static (RpcDescriptionService service, ref RpcReader reader, CancellationToken cancellationToken) =>
            new ValueTask<string>(service.DescribeServices()));
        binder.AddUnary<string>(GetServiceContract, static (RpcDescriptionService service, ref RpcReader reader, CancellationToken cancellationToken) =>
        {
            string? name = reader.ReadString();
            return new ValueTask<string>(service.FindContract(name));
        });
    }

    private string DescribeServices()
    {
        // Grouped by service, methods by name: the same order every time.
        var services = new SortedDictionary<string, List<RpcMethodDescriptor>>(StringComparer.Ordinal);
        foreach (RpcMethodDescriptor method in _server.MethodDescriptors)
        {
            if (method.ServiceName == ServiceName)
            {
                continue;
            }
            if (!services.TryGetValue(method.ServiceName, out List<RpcMethodDescriptor>? methods))
            {
                services.Add(method.ServiceName, methods = new List<RpcMethodDescriptor>());
            }
            methods.Add(method);
        }

        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("services");
            foreach (KeyValuePair<string, List<RpcMethodDescriptor>> service in services)
            {
                json.WriteStartObject();
                json.WriteString("name", service.Key);
                json.WriteBoolean("hasContract", RpcContractRegistry.TryGetContract(service.Key, out _));
                json.WriteStartArray("methods");
                service.Value.Sort(static (a, b) => string.CompareOrdinal(a.MethodName, b.MethodName));
                foreach (RpcMethodDescriptor method in service.Value)
                {
                    json.WriteStartObject();
                    json.WriteString("name", method.MethodName);
                    json.WriteNumber("id", method.Id);
                    json.WriteString("kind", KindName(method.Kind));
                    json.WriteBoolean("idempotent", method.IsIdempotent);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    private string FindContract(string? serviceName)
    {
        if (string.IsNullOrEmpty(serviceName) || serviceName == ServiceName)
        {
            throw new RpcException(RpcStatusCode.InvalidArgument, "Name a service the server hosts.");
        }
        foreach (RpcMethodDescriptor method in _server.MethodDescriptors)
        {
            if (method.ServiceName == serviceName)
            {
                return RpcContractRegistry.TryGetContract(serviceName, out string contract)
                    ? contract
                    : throw new RpcException(RpcStatusCode.NotFound, $"The server hosts {serviceName} but has no generated contract for it.");
            }
        }
        throw new RpcException(RpcStatusCode.NotFound, $"The server does not host a service named {serviceName}.");
    }

    /// <summary>The contract's name for a method kind (docs/contracts.md).</summary>
    internal static string KindName(RpcMethodKind kind) => kind switch
    {
        RpcMethodKind.OneWay => "oneWay",
        RpcMethodKind.ServerStreaming => "serverStreaming",
        RpcMethodKind.ClientStreaming => "clientStreaming",
        RpcMethodKind.DuplexStreaming => "duplexStreaming",
        _ => "unary",
    };
}
