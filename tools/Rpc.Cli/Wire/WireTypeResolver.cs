using System;
using System.Collections.Generic;
using Rpc.Cli.Schema;

namespace Rpc.Cli.Wire;

/// <summary>Turns the contract's type names into <see cref="WireType"/>s, from the contract's types and the built-in ones.</summary>
internal sealed class WireTypeResolver
{
    private static readonly HashSet<string> s_sequences = new(StringComparer.Ordinal)
    {
        "System.Collections.Generic.List", "System.Collections.Generic.IList", "System.Collections.Generic.IReadOnlyList",
        "System.Collections.Generic.ICollection", "System.Collections.Generic.IReadOnlyCollection", "System.Collections.Generic.IEnumerable",
        "System.Collections.Generic.HashSet", "System.Collections.Generic.ISet", "System.Collections.Generic.IReadOnlySet",
        "System.Collections.Generic.LinkedList", "System.Collections.Generic.Queue", "System.Collections.Generic.SortedSet",
    };

    private static readonly HashSet<string> s_dictionaries = new(StringComparer.Ordinal)
    {
        "System.Collections.Generic.Dictionary", "System.Collections.Generic.IDictionary", "System.Collections.Generic.IReadOnlyDictionary",
        "System.Collections.Generic.SortedDictionary", "System.Collections.Generic.SortedList",
    };

    private readonly ContractDocument _contract;
    private readonly Dictionary<string, WireType> _cache = new(StringComparer.Ordinal);

    public WireTypeResolver(ContractDocument contract) => _contract = contract;

    /// <summary>The wire type of <paramref name="typeName"/>; <paramref name="encoding"/> is a string's <c>utf8</c>/<c>utf16</c>.</summary>
    public WireType Resolve(string typeName, string? encoding = null)
    {
        string key = encoding is null ? typeName : typeName + "|" + encoding;
        if (!_cache.TryGetValue(key, out WireType? type))
        {
            type = Resolve(ContractTypeName.Parse(typeName), encoding);
            _cache[key] = type;
        }
        return type;
    }

    private WireType Resolve(ContractTypeName name, string? encoding)
    {
        if (name.Suffixes.Count > 0)
        {
            string last = name.Suffixes[^1];
            WireType inner = Resolve(name.WithoutLastSuffix().ToString(), last == "?" ? encoding : null);
            if (last == "?")
            {
                // T? of a raw type is Nullable<T>; of a reference type, the same wire form as T.
                return inner is RawType raw ? new NullableRawType(raw) : inner;
            }
            if (last == "[]")
            {
                return new CollectionType(name.ToString(), inner);
            }
            throw Unsupported(name, "multi-dimensional arrays");
        }
        if (name.IsTuple)
        {
            throw Unsupported(name, "tuples");
        }
        if (name.Name == "string")
        {
            return new StringType(encoding);
        }
        if (Primitives.ByName.TryGetValue(name.Name, out RawType? primitive))
        {
            return primitive;
        }
        if (s_sequences.Contains(name.Name) && name.Arguments.Count == 1)
        {
            return new CollectionType(name.ToString(), Resolve(name.Arguments[0].ToString()));
        }
        if (s_dictionaries.Contains(name.Name) && name.Arguments.Count == 2)
        {
            return new DictionaryType(name.ToString(), Resolve(name.Arguments[0].ToString()), Resolve(name.Arguments[1].ToString()));
        }
        if (_contract.Types.TryGetValue(name.DefinitionKey, out TypeContract? contract))
        {
            return FromContract(name, contract);
        }
        throw new CliException($"The contract does not describe the type '{name}', so rpc cannot convert it.");
    }

    private WireType FromContract(ContractTypeName name, TypeContract contract)
    {
        var arguments = new Dictionary<string, ContractTypeName>(StringComparer.Ordinal);
        for (int i = 0; i < contract.TypeParameters.Count && i < name.Arguments.Count; i++)
        {
            arguments[contract.TypeParameters[i]] = name.Arguments[i];
        }
        string Closed(string memberType) => arguments.Count == 0 ? memberType : ContractTypeName.Parse(memberType).Substitute(arguments).ToString();

        switch (contract.Kind)
        {
            case "enum":
                if (contract.Underlying is null || !Primitives.ByName.TryGetValue(contract.Underlying, out RawType? underlying))
                {
                    throw new CliException($"The enum {contract.Name} has an unknown underlying type '{contract.Underlying}'.");
                }
                return new EnumType(contract.Name, underlying, contract.Values);
            case "object":
            case "versionTolerant":
                var members = new List<(MemberContract, Lazy<WireType>)>();
                foreach (MemberContract member in contract.Members)
                {
                    members.Add((member, new Lazy<WireType>(() => Resolve(Closed(member.Type), member.Encoding))));
                }
                return new ObjectType(name.ToString(), contract.Kind == "versionTolerant", members);
            case "union":
                var cases = new List<(UnionCaseContract, Lazy<WireType>)>();
                foreach (UnionCaseContract unionCase in contract.Cases)
                {
                    cases.Add((unionCase, new Lazy<WireType>(() => Resolve(Closed(unionCase.Type)))));
                }
                return new UnionType(name.ToString(), cases);
            default:
                throw Unsupported(name, $"'{contract.Kind}' types");
        }
    }

    private static CliException Unsupported(ContractTypeName name, string what) =>
        new($"rpc cannot convert {name}: {what} are not supported by the command-line client yet.");
}
