using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Rpc.Generators.Model;

namespace Rpc.Generators.Contracts;

/// <summary>
/// Builds the contract documents (see docs/contracts.md) from the service models, the formatter models (which fix
/// the wire layout of every message type) and the facts the contract walk found (enums, value types).
/// </summary>
internal static class ContractBuilder
{
    public const string SchemaVersion = "rpc-contract/1";

    private static readonly HashSet<string> s_valueKeywords = new(StringComparer.Ordinal)
    {
        "bool", "byte", "sbyte", "short", "ushort", "int", "uint", "long", "ulong", "float", "double", "decimal", "char", "nint", "nuint",
    };

    public static ContractSetSpec Build(ImmutableArray<ServiceSpec> services, ImmutableArray<FormatterSpec> formatters, ImmutableArray<ContractTypeFactsSpec> facts)
    {
        if (services.IsDefaultOrEmpty)
        {
            return ContractSetSpec.Empty;
        }
        var context = new Context(formatters, facts);
        var perService = new List<ServiceContractSpec>();
        List<ServiceSpec> ordered = services.OrderBy(s => s.ServiceName, StringComparer.Ordinal).ToList();
        foreach (ServiceSpec service in ordered)
        {
            // Read by programs only (the description service, the rpc tool): compact.
            perService.Add(new ServiceContractSpec(service.ServiceName, Write(new[] { service }, context, indented: false)));
        }
        // Indented: it becomes the lock file, which people read and diff.
        return new ContractSetSpec(perService.ToEquatableArray(), Write(ordered, context, indented: true));
    }

    private static string Write(IReadOnlyList<ServiceSpec> services, Context context, bool indented)
    {
        var reached = new SortedDictionary<string, object>(StringComparer.Ordinal);
        var w = new ContractJsonWriter(indented);
        w.StartObject();
        w.Property("schema").String(SchemaVersion);
        w.Property("services").StartArray();
        foreach (ServiceSpec service in services)
        {
            WriteService(w, service, context, reached);
        }
        w.EndArray();
        w.Property("types").StartArray();
        foreach (KeyValuePair<string, object> type in reached)
        {
            switch (type.Value)
            {
                case FormatterSpec formatter:
                    WriteMessageType(w, type.Key, formatter, context);
                    break;
                case EnumContractSpec enumSpec:
                    WriteEnum(w, enumSpec);
                    break;
            }
        }
        w.EndArray();
        w.EndObject();
        return w.ToString();
    }

    private static void WriteService(ContractJsonWriter w, ServiceSpec service, Context context, SortedDictionary<string, object> reached)
    {
        w.StartObject();
        w.Property("name").String(service.ServiceName);
        w.Property("interface").String(StripGlobal(service.InterfaceFullName));
        w.Property("methods").StartArray();
        foreach (MethodSpec method in service.Methods.OrderBy(m => m.Name, StringComparer.Ordinal).ThenBy(m => m.Id))
        {
            w.StartObject();
            w.Property("name").String(method.Name);
            w.Property("id").Number(method.Id);
            w.Property("kind").String(KindName(method.Kind));
            w.Property("idempotent").Boolean(method.IsIdempotent);
            w.Property("parameters").StartArray();
            foreach (ParameterSpec parameter in method.Parameters)
            {
                w.StartObject();
                w.Property("name").String(parameter.Name.TrimStart('@'));
                w.Property("type").String(context.Reference(parameter.TypeName, reached));
                WriteEncoding(w, parameter.Encoding);
                w.EndObject();
            }
            w.EndArray();
            if (method.ClientStream is { } stream)
            {
                w.Property("requestStream").StartObject();
                w.Property("name").String(stream.ParameterName.TrimStart('@'));
                w.Property("type").String(context.Reference(stream.ItemTypeName, reached));
                w.EndObject();
            }
            w.Property("result").String(method.ResultTypeName is { } result ? context.Reference(result, reached) : null);
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
    }

    private static void WriteMessageType(ContractJsonWriter w, string key, FormatterSpec formatter, Context context)
    {
        w.StartObject();
        w.Property("name").String(key);
        w.Property("kind").String(formatter.Kind switch
        {
            FormatterKind.VersionTolerant => "versionTolerant",
            FormatterKind.CircularReference => "circularReference",
            FormatterKind.Union => "union",
            _ => "object",
        });
        w.Property("valueType").Boolean(formatter.IsValueType);
        ContractTypeName self = ContractTypeName.Parse(formatter.TypeFullName);
        if (self.Arguments.Count > 0)
        {
            w.Property("typeParameters").StartArray();
            foreach (ContractTypeName parameter in self.Arguments)
            {
                w.String(parameter.Name);
            }
            w.EndArray();
        }
        if (formatter.Kind == FormatterKind.Union)
        {
            w.Property("cases").StartArray();
            foreach (UnionCaseSpec unionCase in formatter.UnionCases.OrderBy(c => c.Tag))
            {
                w.StartObject();
                w.Property("tag").Number(unionCase.Tag);
                w.Property("type").String(context.Canonical(unionCase.TypeName));
                w.EndObject();
            }
            w.EndArray();
        }
        else
        {
            w.Property("members").StartArray();
            foreach (MemberSpec member in formatter.Members.OrderBy(m => m.Slot))
            {
                w.StartObject();
                w.Property("slot").Number(member.Slot);
                w.Property("name").String(member.Name);
                w.Property("type").String(context.Canonical(member.TypeName));
                WriteEncoding(w, member.Encoding);
                w.EndObject();
            }
            w.EndArray();
        }
        w.EndObject();
    }

    private static void WriteEnum(ContractJsonWriter w, EnumContractSpec enumSpec)
    {
        w.StartObject();
        w.Property("name").String(enumSpec.TypeName);
        w.Property("kind").String("enum");
        w.Property("underlying").String(enumSpec.UnderlyingType);
        w.Property("values").StartArray();
        foreach (EnumValueContractSpec value in enumSpec.Values)
        {
            w.StartObject();
            w.Property("name").String(value.Name);
            w.Property("value").RawNumber(value.Value);
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
    }

    private static void WriteEncoding(ContractJsonWriter w, StringEncodingSpec encoding)
    {
        if (encoding != StringEncodingSpec.Default)
        {
            w.Property("encoding").String(encoding == StringEncodingSpec.Utf8 ? "utf8" : "utf16");
        }
    }

    private static string KindName(MethodKindSpec kind) => kind switch
    {
        MethodKindSpec.OneWay => "oneWay",
        MethodKindSpec.ServerStreaming => "serverStreaming",
        MethodKindSpec.ClientStreaming => "clientStreaming",
        MethodKindSpec.DuplexStreaming => "duplexStreaming",
        _ => "unary",
    };

    private static string StripGlobal(string name) => name.Replace("global::", string.Empty);

    /// <summary>Type lookups shared by every document of one build.</summary>
    private sealed class Context
    {
        private readonly Dictionary<string, FormatterSpec> _formatters = new(StringComparer.Ordinal);
        private readonly Dictionary<string, EnumContractSpec> _enums = new(StringComparer.Ordinal);
        private readonly HashSet<string> _valueTypes = new(StringComparer.Ordinal);

        public Context(ImmutableArray<FormatterSpec> formatters, ImmutableArray<ContractTypeFactsSpec> facts)
        {
            foreach (FormatterSpec formatter in formatters)
            {
                string key = ContractTypeName.Parse(formatter.TypeFullName).DefinitionKey;
                if (!_formatters.ContainsKey(key))
                {
                    _formatters.Add(key, formatter);
                }
            }
            foreach (ContractTypeFactsSpec fact in facts)
            {
                foreach (EnumContractSpec enumSpec in fact.Enums)
                {
                    _enums[enumSpec.TypeName] = enumSpec;
                }
                foreach (string valueType in fact.ValueTypes)
                {
                    _valueTypes.Add(valueType);
                }
            }
        }

        public string Canonical(string typeName) => ContractTypeName.Parse(typeName).ToCanonical(IsValueType);

        /// <summary>The canonical name, after adding every message type and enum it reaches to <paramref name="reached"/>.</summary>
        public string Reference(string typeName, SortedDictionary<string, object> reached)
        {
            ContractTypeName parsed = ContractTypeName.Parse(typeName);
            Reach(parsed, reached);
            return parsed.ToCanonical(IsValueType);
        }

        private void Reach(ContractTypeName name, SortedDictionary<string, object> reached)
        {
            foreach (ContractTypeName node in name.SelfAndDescendants())
            {
                string key = node.DefinitionKey;
                if (reached.ContainsKey(key))
                {
                    continue;
                }
                if (_formatters.TryGetValue(key, out FormatterSpec? formatter))
                {
                    reached.Add(key, formatter);
                    foreach (MemberSpec member in formatter.Members)
                    {
                        Reach(ContractTypeName.Parse(member.TypeName), reached);
                    }
                    foreach (UnionCaseSpec unionCase in formatter.UnionCases)
                    {
                        Reach(ContractTypeName.Parse(unionCase.TypeName), reached);
                    }
                }
                else if (_enums.TryGetValue(key, out EnumContractSpec? enumSpec))
                {
                    reached.Add(key, enumSpec);
                }
            }
        }

        private bool IsValueType(ContractTypeName name)
        {
            if (name.IsTuple || s_valueKeywords.Contains(name.Name))
            {
                return true;
            }
            string key = name.DefinitionKey;
            return _valueTypes.Contains(key) || _enums.ContainsKey(key) || (_formatters.TryGetValue(key, out FormatterSpec? f) && f.IsValueType);
        }
    }
}
