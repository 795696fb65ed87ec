using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Cli.Schema;
using Rpc.Cli.Wire;
using Rpc.Contracts;
using Rpc.Serialization;

namespace Rpc.Cli;

/// <summary>The verbs: <c>list</c>, <c>describe</c> and <c>call</c>.</summary>
internal static class Commands
{
    /// <summary>Prints every service the server hosts and its methods, one per line.</summary>
    public static async Task ListAsync(CliConnection connection, TextWriter output, CancellationToken cancellationToken)
    {
        await using RpcClient client = await connection.ConnectAsync(cancellationToken).ConfigureAwait(false);
        string json;
        using (RpcCallOptions.Push(connection.CallOptions()))
        {
            json = await DescriptionClient.ListServicesAsync(client, cancellationToken).ConfigureAwait(false);
        }
        using JsonDocument document = JsonDocument.Parse(json);
        foreach (JsonElement service in document.RootElement.GetProperty("services").EnumerateArray())
        {
            output.WriteLine(service.GetProperty("name").GetString());
            foreach (JsonElement method in service.GetProperty("methods").EnumerateArray())
            {
                output.WriteLine($"  {method.GetProperty("name").GetString()} ({method.GetProperty("kind").GetString()})");
            }
        }
    }

    /// <summary>
    /// Prints <c>Service</c>'s whole contract, or for <c>Service/Method</c> the method and the types its parameters
    /// and result reach, as JSON.
    /// </summary>
    public static async Task DescribeAsync(CliConnection connection, string target, TextWriter output, CancellationToken cancellationToken)
    {
        (string serviceName, string? methodName) = SplitTarget(target, methodRequired: false);
        await using RpcClient client = await connection.ConnectAsync(cancellationToken).ConfigureAwait(false);
        ContractDocument contract;
        using (RpcCallOptions.Push(connection.CallOptions()))
        {
            contract = await DescriptionClient.GetContractAsync(client, serviceName, cancellationToken).ConfigureAwait(false);
        }
        ServiceContract service = contract.Services[0];
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("service", service.Name);
            var reached = new SortedSet<string>(StringComparer.Ordinal);
            if (methodName is null)
            {
                json.WriteStartArray("methods");
                foreach (MethodContract method in service.Methods)
                {
                    method.Json.WriteTo(json);
                    Reach(contract, method, reached);
                }
                json.WriteEndArray();
            }
            else
            {
                MethodContract method = FindMethod(service, methodName);
                json.WritePropertyName("method");
                method.Json.WriteTo(json);
                Reach(contract, method, reached);
            }
            json.WriteStartArray("types");
            foreach (string type in reached)
            {
                contract.TypeJson[type].WriteTo(json);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>Calls a method with JSON arguments and prints its result (each item of a stream as one JSON line).</summary>
    public static async Task CallAsync(CliConnection connection, string target, string? argumentsJson, TextWriter output, CancellationToken cancellationToken)
    {
        (string serviceName, string? methodName) = SplitTarget(target, methodRequired: true);
        await using RpcClient client = await connection.ConnectAsync(cancellationToken).ConfigureAwait(false);
        RpcCallOptions options = connection.CallOptions();
        ContractDocument contract;
        using (RpcCallOptions.Push(options))
        {
            contract = await DescriptionClient.GetContractAsync(client, serviceName, cancellationToken).ConfigureAwait(false);
        }
        MethodContract method = FindMethod(contract.Services[0], methodName!);
        var types = new WireTypeResolver(contract);
        byte[] arguments = ArgumentEncoder.Encode(method, types, argumentsJson);
        WireType? result = method.Result is null ? null : types.Resolve(method.Result);
        var descriptor = new RpcMethodDescriptor(serviceName, method.Name, method.Id, KindOf(method)) { IsIdempotent = method.IsIdempotent };

        using (RpcCallOptions.Push(options))
        {
            switch (descriptor.Kind)
            {
                case RpcMethodKind.Unary:
                    byte[]? bytes = await RpcRawCalls.InvokeUnaryAsync(client, descriptor, arguments, result is not null, cancellationToken).ConfigureAwait(false);
                    if (result is not null)
                    {
                        output.WriteLine(ToJson(result, bytes!, indented: true));
                    }
                    break;
                case RpcMethodKind.OneWay:
                    await RpcRawCalls.SendOneWayAsync(client, descriptor, arguments, cancellationToken).ConfigureAwait(false);
                    break;
                case RpcMethodKind.ServerStreaming:
                    await foreach (byte[] item in RpcRawCalls.InvokeServerStreaming(client, descriptor, arguments, cancellationToken).ConfigureAwait(false))
                    {
                        output.WriteLine(ToJson(result!, item, indented: false));
                        output.Flush();
                    }
                    break;
                default:
                    throw new CliException($"{method.Name} is a {method.Kind} method; rpc call supports unary, one-way and server-streaming methods.");
            }
        }
    }

    private static string ToJson(WireType type, byte[] bytes, bool indented)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            var reader = new RpcReader(bytes);
            type.Read(ref reader, json);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static (string Service, string? Method) SplitTarget(string target, bool methodRequired)
    {
        int slash = target.LastIndexOf('/');
        if (slash < 0)
        {
            return methodRequired ? throw new CliException($"'{target}' names no method: write Service/Method.") : (target, null);
        }
        return (target.Substring(0, slash), target.Substring(slash + 1));
    }

    /// <summary>The method by name: exact, else without regard to case, else with the <c>Async</c> suffix left off.</summary>
    private static MethodContract FindMethod(ServiceContract service, string name)
    {
        MethodContract? found = service.Methods.Find(m => m.Name == name)
            ?? service.Methods.Find(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? service.Methods.Find(m => string.Equals(m.Name, name + "Async", StringComparison.OrdinalIgnoreCase));
        return found ?? throw new CliException($"{service.Name} has no method '{name}'; it has {string.Join(", ", service.Methods.ConvertAll(m => m.Name))}.");
    }

    private static RpcMethodKind KindOf(MethodContract method) => method.Kind switch
    {
        "unary" => RpcMethodKind.Unary,
        "oneWay" => RpcMethodKind.OneWay,
        "serverStreaming" => RpcMethodKind.ServerStreaming,
        "clientStreaming" => RpcMethodKind.ClientStreaming,
        "duplexStreaming" => RpcMethodKind.DuplexStreaming,
        _ => throw new CliException($"{method.Name} has an unknown kind '{method.Kind}'."),
    };

    private static void Reach(ContractDocument contract, MethodContract method, SortedSet<string> reached)
    {
        foreach (ParameterContract parameter in method.Parameters)
        {
            Reach(contract, ContractTypeName.Parse(parameter.Type), reached);
        }
        if (method.RequestStream is { } stream)
        {
            Reach(contract, ContractTypeName.Parse(stream.Type), reached);
        }
        if (method.Result is { } result)
        {
            Reach(contract, ContractTypeName.Parse(result), reached);
        }
    }

    private static void Reach(ContractDocument contract, ContractTypeName name, SortedSet<string> reached)
    {
        foreach (ContractTypeName argument in name.Arguments)
        {
            Reach(contract, argument, reached);
        }
        if (!contract.Types.TryGetValue(name.DefinitionKey, out TypeContract? type) || !reached.Add(type.Name))
        {
            return;
        }
        foreach (MemberContract member in type.Members)
        {
            Reach(contract, ContractTypeName.Parse(member.Type), reached);
        }
        foreach (UnionCaseContract unionCase in type.Cases)
        {
            Reach(contract, ContractTypeName.Parse(unionCase.Type), reached);
        }
    }
}
