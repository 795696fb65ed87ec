using System;
using System.Collections.Generic;
using System.Text;

namespace Rpc.Cli.Schema;

/// <summary>
/// A type name as a contract spells it (docs/contracts.md): <c>System.Collections.Generic.List&lt;Shop.Line&gt;</c>,
/// <c>int?</c>, <c>string[]</c>, <c>(int, string)</c>.
/// </summary>
internal sealed class ContractTypeName
{
    private ContractTypeName(string name, IReadOnlyList<ContractTypeName> arguments, bool isTuple, IReadOnlyList<string> suffixes)
    {
        Name = name;
        Arguments = arguments;
        IsTuple = isTuple;
        Suffixes = suffixes;
    }

    /// <summary>The name without type arguments; empty for a tuple.</summary>
    public string Name { get; }

    public IReadOnlyList<ContractTypeName> Arguments { get; }

    public bool IsTuple { get; }

    /// <summary><c>?</c>, <c>[]</c>, <c>[,]</c> in source order.</summary>
    public IReadOnlyList<string> Suffixes { get; }

    /// <summary>How a message type definition is keyed in the contract: <c>Shop.Box`1</c>, or the plain name.</summary>
    public string DefinitionKey => Arguments.Count == 0 || IsTuple ? Name : Name + "`" + Arguments.Count;

    /// <summary>The same name without its last suffix: the element of an array, the T of T?.</summary>
    public ContractTypeName WithoutLastSuffix() =>
        new(Name, Arguments, IsTuple, new List<string>(Suffixes).GetRange(0, Suffixes.Count - 1));

    public ContractTypeName Substitute(IReadOnlyDictionary<string, ContractTypeName> arguments)
    {
        if (!IsTuple && Arguments.Count == 0 && arguments.TryGetValue(Name, out ContractTypeName? replacement))
        {
            var suffixes = new List<string>(replacement.Suffixes);
            suffixes.AddRange(Suffixes);
            return new ContractTypeName(replacement.Name, replacement.Arguments, replacement.IsTuple, suffixes);
        }
        var substituted = new List<ContractTypeName>();
        foreach (ContractTypeName argument in Arguments)
        {
            substituted.Add(argument.Substitute(arguments));
        }
        return new ContractTypeName(Name, substituted, IsTuple, Suffixes);
    }

    public override string ToString()
    {
        var builder = new StringBuilder();
        builder.Append(IsTuple ? "(" : Name);
        if (Arguments.Count > 0 && !IsTuple)
        {
            builder.Append('<');
        }
        builder.Append(string.Join(", ", Arguments));
        if (IsTuple)
        {
            builder.Append(')');
        }
        else if (Arguments.Count > 0)
        {
            builder.Append('>');
        }
        foreach (string suffix in Suffixes)
        {
            builder.Append(suffix);
        }
        return builder.ToString();
    }

    public static ContractTypeName Parse(string text)
    {
        int position = 0;
        ContractTypeName type = ParseType(text, ref position);
        if (position != text.Length)
        {
            throw new FormatException($"Unexpected '{text[position]}' at {position} in the type name '{text}'.");
        }
        return type;
    }

    private static ContractTypeName ParseType(string text, ref int position)
    {
        SkipSpaces(text, ref position);
        string name = string.Empty;
        var arguments = new List<ContractTypeName>();
        bool isTuple = position < text.Length && text[position] == '(';
        if (isTuple)
        {
            position++;
            ParseList(text, ref position, arguments, ')');
        }
        else
        {
            int start = position;
            while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] is '_' or '.' or '`'))
            {
                position++;
            }
            if (position == start)
            {
                throw new FormatException($"Expected a type name at {position} in '{text}'.");
            }
            name = text.Substring(start, position - start);
            if (position < text.Length && text[position] == '<')
            {
                position++;
                ParseList(text, ref position, arguments, '>');
            }
        }
        var suffixes = new List<string>();
        while (position < text.Length && text[position] is '?' or '[')
        {
            if (text[position] == '?')
            {
                suffixes.Add("?");
                position++;
                continue;
            }
            int end = text.IndexOf(']', position);
            if (end < 0)
            {
                throw new FormatException($"Unclosed '[' in '{text}'.");
            }
            suffixes.Add(text.Substring(position, end - position + 1));
            position = end + 1;
        }
        return new ContractTypeName(name, arguments, isTuple, suffixes);
    }

    private static void ParseList(string text, ref int position, List<ContractTypeName> items, char close)
    {
        while (true)
        {
            items.Add(ParseType(text, ref position));
            SkipSpaces(text, ref position);
            if (position < text.Length && text[position] == ',')
            {
                position++;
                continue;
            }
            if (position >= text.Length || text[position] != close)
            {
                throw new FormatException($"Expected '{close}' at {position} in '{text}'.");
            }
            position++;
            return;
        }
    }

    private static void SkipSpaces(string text, ref int position)
    {
        while (position < text.Length && text[position] == ' ')
        {
            position++;
        }
    }
}
