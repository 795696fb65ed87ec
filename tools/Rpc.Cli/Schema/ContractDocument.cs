using System;
using System.Collections.Generic;
using System.Text.Json;

namespace Rpc.Cli.Schema;

/// <summary>A contract document (docs/contracts.md) as the client reads it: services, methods and type layouts.</summary>
internal sealed class ContractDocument
{
    public List<ServiceContract> Services { get; } = new();

    /// <summary>Message types and enums by name (<c>Shop.Box`1</c> for a generic definition).</summary>
    public Dictionary<string, TypeContract> Types { get; } = new(StringComparer.Ordinal);

    /// <summary>The raw JSON of each type, for <c>rpc describe</c>.</summary>
    public Dictionary<string, JsonElement> TypeJson { get; } = new(StringComparer.Ordinal);

    public static ContractDocument Parse(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        string schema = root.GetProperty("schema").GetString() ?? string.Empty;
        if (!schema.StartsWith("rpc-contract/", StringComparison.Ordinal))
        {
            throw new CliException($"The server sent a contract in an unknown schema '{schema}'.");
        }
        var contract = new ContractDocument();
        foreach (JsonElement service in root.GetProperty("services").EnumerateArray())
        {
            var methods = new List<MethodContract>();
            foreach (JsonElement method in service.GetProperty("methods").EnumerateArray())
            {
                var parameters = new List<ParameterContract>();
                foreach (JsonElement parameter in method.GetProperty("parameters").EnumerateArray())
                {
                    parameters.Add(new ParameterContract(parameter.GetProperty("name").GetString()!, parameter.GetProperty("type").GetString()!, Encoding(parameter)));
                }
                ParameterContract? requestStream = method.TryGetProperty("requestStream", out JsonElement stream)
                    ? new ParameterContract(stream.GetProperty("name").GetString()!, stream.GetProperty("type").GetString()!, null)
                    : null;
                string? result = method.GetProperty("result").ValueKind == JsonValueKind.String ? method.GetProperty("result").GetString() : null;
                methods.Add(new MethodContract(
                    method.GetProperty("name").GetString()!,
                    method.GetProperty("id").GetUInt32(),
                    method.GetProperty("kind").GetString()!,
                    method.TryGetProperty("idempotent", out JsonElement idempotent) && idempotent.GetBoolean(),
                    parameters,
                    requestStream,
                    result,
                    method.Clone()));
            }
            contract.Services.Add(new ServiceContract(service.GetProperty("name").GetString()!, methods));
        }
        foreach (JsonElement type in root.GetProperty("types").EnumerateArray())
        {
            TypeContract parsed = ParseType(type);
            contract.Types[parsed.Name] = parsed;
            contract.TypeJson[parsed.Name] = type.Clone();
        }
        return contract;
    }

    private static TypeContract ParseType(JsonElement type)
    {
        string name = type.GetProperty("name").GetString()!;
        string kind = type.GetProperty("kind").GetString()!;
        var members = new List<MemberContract>();
        var cases = new List<UnionCaseContract>();
        var values = new List<(string Name, long Value)>();
        var typeParameters = new List<string>();
        if (type.TryGetProperty("members", out JsonElement memberArray))
        {
            foreach (JsonElement member in memberArray.EnumerateArray())
            {
                members.Add(new MemberContract(member.GetProperty("slot").GetInt32(), member.GetProperty("name").GetString()!, member.GetProperty("type").GetString()!, Encoding(member)));
            }
        }
        if (type.TryGetProperty("cases", out JsonElement caseArray))
        {
            foreach (JsonElement unionCase in caseArray.EnumerateArray())
            {
                cases.Add(new UnionCaseContract(unionCase.GetProperty("tag").GetUInt16(), unionCase.GetProperty("type").GetString()!));
            }
        }
        if (type.TryGetProperty("values", out JsonElement valueArray))
        {
            foreach (JsonElement value in valueArray.EnumerateArray())
            {
                JsonElement number = value.GetProperty("value");
                values.Add((value.GetProperty("name").GetString()!, number.TryGetInt64(out long signed) ? signed : unchecked((long)number.GetUInt64())));
            }
        }
        if (type.TryGetProperty("typeParameters", out JsonElement parameterArray))
        {
            foreach (JsonElement parameter in parameterArray.EnumerateArray())
            {
                typeParameters.Add(parameter.GetString()!);
            }
        }
        string? underlying = type.TryGetProperty("underlying", out JsonElement u) ? u.GetString() : null;
        return new TypeContract(name, kind, members, cases, values, underlying, typeParameters);
    }

    private static string? Encoding(JsonElement element) =>
        element.TryGetProperty("encoding", out JsonElement encoding) ? encoding.GetString() : null;
}

internal sealed record ServiceContract(string Name, List<MethodContract> Methods);

internal sealed record MethodContract(
    string Name,
    uint Id,
    string Kind,
    bool IsIdempotent,
    List<ParameterContract> Parameters,
    ParameterContract? RequestStream,
    string? Result,
    JsonElement Json);

internal sealed record ParameterContract(string Name, string Type, string? Encoding);

internal sealed record MemberContract(int Slot, string Name, string Type, string? Encoding);

internal sealed record UnionCaseContract(ushort Tag, string Type);

/// <summary>A message type (<c>object</c>, <c>versionTolerant</c>, <c>circularReference</c>, <c>union</c>) or an <c>enum</c>.</summary>
internal sealed record TypeContract(
    string Name,
    string Kind,
    List<MemberContract> Members,
    List<UnionCaseContract> Cases,
    List<(string Name, long Value)> Values,
    string? Underlying,
    List<string> TypeParameters);
