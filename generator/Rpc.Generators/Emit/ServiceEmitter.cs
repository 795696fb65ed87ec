using System;
using System.Collections.Generic;
using System.Linq;
using Rpc.Generators.Model;

namespace Rpc.Generators.Emit;

/// <summary>
/// Emits, for one service: a class of method descriptors, the client proxy, the server dispatcher, and the module
/// initializer that registers both with the runtime so <c>CreateProxy</c> and <c>AddService</c> find them without reflection.
/// </summary>
internal static class ServiceEmitter
{
    private const string Reader = "global::Rpc.Serialization.RpcReader";
    private const string CancellationToken = "global::System.Threading.CancellationToken";
    private const string GeneratedCode = "[global::System.CodeDom.Compiler.GeneratedCode(\"Rpc.Generators\", \"" + GeneratorInfo.Version + "\")]";

    public static string Emit(ServiceSpec service)
    {
        SourceWriter w = SourceWriter.CreateFile();
        // Annotations match the user's declarations; without warnings the compiler skips nullable analysis of every
        // generated body (a third of the time it spends binding this file) and no '!' is needed.
        w.Line("#nullable enable annotations");
        w.Line("#nullable disable warnings");
        w.Line("#pragma warning disable CS1591, CA2255 // generated members need no docs; module initializers are how generated code registers");
        w.Line();
        bool hasNamespace = service.Namespace.Length > 0;
        if (hasNamespace)
        {
            w.Open($"namespace {service.Namespace}");
        }

        string methodsClass = service.GeneratedNamePrefix + "RpcMethods";
        string proxyClass = service.GeneratedNamePrefix + "RpcProxy";
        string dispatcherClass = service.GeneratedNamePrefix + "RpcDispatcher";
        string visibility = service.IsPublic ? "public" : "internal";

        EmitDescriptors(w, service, methodsClass, visibility);
        w.Line();
        EmitProxy(w, service, methodsClass, proxyClass);
        w.Line();
        EmitDispatcher(w, service, methodsClass, proxyClass, dispatcherClass);

        if (hasNamespace)
        {
            w.Close();
        }
        return w.ToString();
    }

    private static void EmitDescriptors(SourceWriter w, ServiceSpec service, string methodsClass, string visibility)
    {
        w.Line($"/// <summary>The methods of <see cref=\"{service.InterfaceFullName}\"/> as the wire and interceptors see them.</summary>");
        w.Line(GeneratedCode);
        using (w.Block($"{visibility} static class {methodsClass}"))
        {
            w.Line($"/// <summary>The service name on the wire.</summary>");
            w.Line($"public const string ServiceName = {Literal(service.ServiceName)};");
            foreach (MethodSpec method in service.Methods)
            {
                w.Line();
                w.Line($"/// <summary><c>{method.Name}</c>, id 0x{method.Id:X8}.</summary>");
                w.Line($"public static readonly global::Rpc.RpcMethodDescriptor {method.DescriptorFieldName} = new(ServiceName, {Literal(method.Name)}, 0x{method.Id:X8}u, global::Rpc.RpcMethodKind.{method.Kind}){(method.IsIdempotent ? " { IsIdempotent = true }" : "")};");
            }
        }
    }

    private static void EmitProxy(SourceWriter w, ServiceSpec service, string methodsClass, string proxyClass)
    {
        w.Line($"/// <summary>Calls <see cref=\"{service.InterfaceFullName}\"/> on a remote server; made by <c>RpcClient.CreateProxy</c>.</summary>");
        w.Line(GeneratedCode);
        using (w.Block($"internal sealed class {proxyClass} : {service.InterfaceFullName}"))
        {
            w.Line("private readonly global::Rpc.Client.IRpcCallInvoker _invoker;");
            w.Line();
            w.Line($"public {proxyClass}(global::Rpc.Client.IRpcCallInvoker invoker) => _invoker = invoker;");
            foreach (MethodSpec method in service.Methods)
            {
                w.Line();
                EmitProxyMethod(w, method, methodsClass);
            }
        }
    }

    private static void EmitProxyMethod(SourceWriter w, MethodSpec method, string methodsClass)
    {
        string parameters = string.Join(", ", SignatureParameters(method));
        string token = method.CancellationTokenParameterName ?? "default";
        using (w.Block($"{method.ReturnTypeName} {method.DeclaringInterfaceFullName}.{method.Name}({parameters})"))
        {
            w.Line($"var call = _invoker.StartCall({methodsClass}.{method.DescriptorFieldName}, {token});");
            if (method.Parameters.FirstOrDefault(p => p.IsHashKey) is { } hashKey)
            {
                w.Line(hashKey.IsString
                    ? $"call.HashKey = {hashKey.Name};"
                    : $"call.HashKey = global::System.Convert.ToString({hashKey.Name}, global::System.Globalization.CultureInfo.InvariantCulture);");
            }
            if (method.Parameters.Count > 0)
            {
                using (w.Block("try"))
                {
                    w.Line("var writer = call.CreateArgumentWriter();");
                    foreach (ParameterSpec parameter in method.Parameters)
                    {
                        w.Line(WriteStatement("writer", parameter.TypeName, parameter.Name, parameter.Encoding));
                    }
                    w.Line("writer.Flush();");
                }
                using (w.Block("catch"))
                {
                    w.Line("call.Abandon();");
                    w.Line("throw;");
                }
            }
            string? requests = method.ClientStream?.ParameterName;
            string? requestItem = method.ClientStream?.ItemTypeName;
            string invoke = method.Kind switch
            {
                MethodKindSpec.OneWay => "call.SendOneWayAsync()",
                MethodKindSpec.ServerStreaming => $"call.InvokeServerStreaming<{method.ResultTypeName}>()",
                MethodKindSpec.DuplexStreaming => $"call.InvokeDuplexStreaming<{requestItem}, {method.ResultTypeName}>({requests})",
                MethodKindSpec.ClientStreaming when method.ResultTypeName is { } result => $"call.InvokeClientStreamingAsync<{requestItem}, {result}>({requests})",
                MethodKindSpec.ClientStreaming => $"call.InvokeClientStreamingAsync<{requestItem}>({requests})",
                _ when method.ResultTypeName is { } result => $"call.InvokeAsync<{result}>()",
                _ => "call.InvokeAsync()",
            };
            bool isTask = method.ReturnShape is ReturnShape.Task or ReturnShape.TaskOfT;
            w.Line($"return {invoke}{(isTask ? ".AsTask()" : string.Empty)};");
        }
    }

    /// <summary>The method's parameters in declaration order: serialized ones, the request stream, the token.</summary>
    private static IEnumerable<string> SignatureParameters(MethodSpec method)
    {
        var list = method.Parameters.Select(p => $"{p.TypeName} {p.Name}").ToList();
        if (method.ClientStream is { } stream)
        {
            list.Insert(Math.Min(stream.Position, list.Count), $"{stream.ParameterTypeName} {stream.ParameterName}");
        }
        if (method.CancellationTokenParameterName is { } token)
        {
            list.Add($"{CancellationToken} {token}");
        }
        return list;
    }

    /// <summary>The arguments the dispatcher passes to the implementation, in declaration order.</summary>
    private static IEnumerable<string> CallArguments(MethodSpec method)
    {
        var list = method.Parameters.Select(p => p.Name).ToList();
        if (method.ClientStream is { } stream)
        {
            list.Insert(Math.Min(stream.Position, list.Count), "__requests");
        }
        if (method.CancellationTokenParameterName is not null)
        {
            list.Add("__cancellationToken");
        }
        return list;
    }

    private static void EmitDispatcher(SourceWriter w, ServiceSpec service, string methodsClass, string proxyClass, string dispatcherClass)
    {
        w.Line($"/// <summary>Routes calls to an implementation of <see cref=\"{service.InterfaceFullName}\"/>; used by <c>RpcServer.AddService</c>.</summary>");
        w.Line(GeneratedCode);
        using (w.Block($"internal static class {dispatcherClass}"))
        {
            w.Line("/// <summary>Registers the proxy and the dispatcher with the runtime when this assembly loads.</summary>");
            w.Line("[global::System.Runtime.CompilerServices.ModuleInitializer]");
            using (w.Block("internal static void Register()"))
            {
                w.Line($"global::Rpc.Client.RpcProxyRegistry.Register<{service.InterfaceFullName}>(static invoker => new {proxyClass}(invoker));");
                w.Line($"global::Rpc.Server.RpcServiceRegistry.Register<{service.InterfaceFullName}>(Bind);");
            }
            w.Line();
            w.Line("/// <summary>Adds a handler for every method of the service.</summary>");
            w.Line("/// <remarks>Each handler reads its arguments before it returns the call's task: the request payload lives only until then.</remarks>");
            using (w.Block($"public static void Bind(global::Rpc.Server.RpcServiceBinder<{service.InterfaceFullName}> binder)"))
            {
                bool first = true;
                foreach (MethodSpec method in service.Methods)
                {
                    if (!first)
                    {
                        w.Line();
                    }
                    first = false;
                    EmitHandler(w, service, method, methodsClass);
                }
            }
        }
    }

    private static void EmitHandler(SourceWriter w, ServiceSpec service, MethodSpec method, string methodsClass)
    {
        string? requestItem = method.ClientStream?.ItemTypeName;
        string add = method.Kind switch
        {
            MethodKindSpec.ServerStreaming => $"binder.AddServerStreaming<{method.ResultTypeName}>",
            MethodKindSpec.DuplexStreaming => $"binder.AddDuplexStreaming<{requestItem}, {method.ResultTypeName}>",
            MethodKindSpec.ClientStreaming when method.ResultTypeName is { } result => $"binder.AddClientStreaming<{requestItem}, {result}>",
            MethodKindSpec.ClientStreaming => $"binder.AddClientStreaming<{requestItem}>",
            _ when method.ResultTypeName is { } result => $"binder.AddUnary<{result}>",
            _ => "binder.AddUnary",
        };
        string requests = method.ClientStream is not null
            ? $"global::System.Collections.Generic.IAsyncEnumerable<{requestItem}> __requests, "
            : string.Empty;
        w.Line($"{add}({methodsClass}.{method.DescriptorFieldName}, static ({service.InterfaceFullName} __service, ref {Reader} __reader, {requests}{CancellationToken} __cancellationToken) =>");
        w.Line("{");
        foreach (ParameterSpec parameter in method.Parameters)
        {
            w.Line($"    var {parameter.Name} = {(IsString(parameter.TypeName) ? "__reader.ReadString()" : $"__reader.ReadValue<{parameter.TypeName}>()")};");
        }
        string target = method.DeclaringInterfaceFullName == service.InterfaceFullName
            ? "__service"
            : $"(({method.DeclaringInterfaceFullName})__service)";
        string call = $"{target}.{method.Name}({string.Join(", ", CallArguments(method))})";
        string wrapped = method.ReturnShape switch
        {
            ReturnShape.Task or ReturnShape.TaskOfT => $"new({call})",
            _ => call,
        };
        w.Line($"    return {wrapped};");
        w.Line("});");
    }

    /// <summary>The statement that writes one value.</summary>
    public static string WriteStatement(string writer, string typeName, string expression, StringEncodingSpec encoding) => encoding switch
    {
        StringEncodingSpec.Utf8 => $"{writer}.WriteUtf8String({expression});",
        StringEncodingSpec.Utf16 => $"{writer}.WriteUtf16String({expression});",
        _ when IsString(typeName) => $"{writer}.WriteString({expression});",
        _ => $"{writer}.WriteValue<{typeName}>({expression});",
    };

    /// <summary>The expression that reads one value.</summary>
    public static string ReadExpression(string reader, string typeName, StringEncodingSpec encoding) =>
        IsString(typeName) ? $"{reader}.ReadString()!" : $"{reader}.ReadValue<{typeName}>()!";

    public static bool IsString(string typeName) => typeName is "string" or "string?";

    public static string Literal(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
