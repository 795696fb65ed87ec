using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text.Json;
using Rpc.Cli.Schema;
using Rpc.Cli.Wire;
using Rpc.Serialization;

namespace Rpc.Cli;

/// <summary>
/// Turns the JSON arguments of <c>rpc call</c> (an object keyed by parameter name, any case) into the request's
/// wire bytes: each parameter in order, as the method's contract types say.
/// </summary>
internal static class ArgumentEncoder
{
    public static byte[] Encode(MethodContract method, WireTypeResolver types, string? argumentsJson)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(string.IsNullOrWhiteSpace(argumentsJson) ? "{}" : argumentsJson);
        }
        catch (JsonException ex)
        {
            throw new CliException($"the arguments are not valid JSON: {ex.Message}");
        }
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new CliException($"the arguments must be a JSON object keyed by parameter name ({Signature(method)}).");
            }
            var given = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (method.Parameters.FindIndex(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase)) < 0)
                {
                    throw new CliException($"{method.Name} has no parameter '{property.Name}'; it takes ({Signature(method)}).");
                }
                given[property.Name] = property.Value;
            }
            var buffer = new ArrayBufferWriter<byte>();
            var writer = new RpcWriter(buffer);
            foreach (ParameterContract parameter in method.Parameters)
            {
                if (!given.TryGetValue(parameter.Name, out JsonElement value))
                {
                    throw new CliException($"the argument '{parameter.Name}' ({parameter.Type}) is missing; {method.Name} takes ({Signature(method)}).");
                }
                types.Resolve(parameter.Type, parameter.Encoding).Write(ref writer, value, "$." + parameter.Name);
            }
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
    }

    public static string Signature(MethodContract method) =>
        string.Join(", ", method.Parameters.ConvertAll(p => $"{p.Type} {p.Name}"));
}
