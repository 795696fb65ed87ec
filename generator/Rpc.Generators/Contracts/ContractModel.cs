using System;
using System.Collections.Generic;
using System.Linq;

namespace Rpc.Generators.Contracts;

/// <summary>A contract document read back for comparison (the lock file's or the current compilation's).</summary>
internal sealed class ContractModel
{
    public List<ServiceModel> Services { get; } = new();

    public Dictionary<string, TypeModel> Types { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads a document; throws <see cref="FormatException"/> when it is not one.</summary>
    public static ContractModel Read(string json)
    {
        var model = new ContractModel();
        var root = ContractJsonReader.Parse(json) as Dictionary<string, object?> ?? throw new FormatException("The document is not a JSON object.");
        foreach (Dictionary<string, object?> service in Objects(root, "services"))
        {
            var methods = new List<MethodModel>();
            foreach (Dictionary<string, object?> method in Objects(service, "methods"))
            {
                string? stream = method.TryGetValue("requestStream", out object? s) && s is Dictionary<string, object?> streamObject ? Text(streamObject, "type") : null;
                methods.Add(new MethodModel(
                    Text(method, "name"),
                    uint.Parse(method.TryGetValue("id", out object? id) ? id?.ToString() ?? "0" : "0", System.Globalization.CultureInfo.InvariantCulture),
                    Text(method, "kind"),
                    Objects(method, "parameters").Select(p => new ParameterModel(Text(p, "name"), Text(p, "type"))).ToList(),
                    stream,
                    method.TryGetValue("result", out object? result) ? result as string : null));
            }
            model.Services.Add(new ServiceModel(Text(service, "name"), Text(service, "interface"), methods));
        }
        foreach (Dictionary<string, object?> type in Objects(root, "types"))
        {
            var members = Objects(type, "members").Select(m => new MemberModel(int.Parse(m["slot"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture), Text(m, "name"), Text(m, "type"))).ToList();
            var cases = Objects(type, "cases").Select(c => new UnionCaseModel(c["tag"]!.ToString(), Text(c, "type"))).ToList();
            string name = Text(type, "name");
            model.Types[name] = new TypeModel(name, Text(type, "kind"), members, cases, type.TryGetValue("underlying", out object? u) ? u as string : null);
        }
        return model;
    }

    private static IEnumerable<Dictionary<string, object?>> Objects(Dictionary<string, object?> parent, string name) =>
        parent.TryGetValue(name, out object? value) && value is List<object?> list ? list.OfType<Dictionary<string, object?>>() : Enumerable.Empty<Dictionary<string, object?>>();

    private static string Text(Dictionary<string, object?> parent, string name) =>
        parent.TryGetValue(name, out object? value) && value is string text ? text : throw new FormatException($"A '{name}' is missing.");
}

internal sealed record ServiceModel(string Name, string Interface, List<MethodModel> Methods);

internal sealed record MethodModel(string Name, uint Id, string Kind, List<ParameterModel> Parameters, string? RequestStream, string? Result)
{
    public string Signature => $"{Name}({string.Join(", ", Parameters.Select(p => p.Type))}{(RequestStream is null ? "" : (Parameters.Count > 0 ? ", " : "") + "stream " + RequestStream)})";
}

internal sealed record ParameterModel(string Name, string Type);

internal sealed record MemberModel(int Slot, string Name, string Type);

internal sealed record UnionCaseModel(string Tag, string Type);

internal sealed record TypeModel(string Name, string Kind, List<MemberModel> Members, List<UnionCaseModel> Cases, string? Underlying);
