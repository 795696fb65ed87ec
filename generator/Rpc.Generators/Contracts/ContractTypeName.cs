using System;
using System.Collections.Generic;
using System.Text;

namespace Rpc.Generators.Contracts;

/// <summary>
/// A C# type name as the models carry it (<c>global::System.Collections.Generic.List&lt;global::Demo.Line&gt;?</c>),
/// parsed into a tree, so the contract can name types without <c>global::</c> or reference-type annotations and
/// find the message types a name refers to.
/// </summary>
internal sealed class ContractTypeName
{
    private ContractTypeName(string name, List<ContractTypeName> arguments, bool isTuple)
    {
        Name = name;
        Arguments = arguments;
        IsTuple = isTuple;
    }

    /// <summary>The name without <c>global::</c> and without type arguments, e.g. <c>System.Collections.Generic.List</c>; empty for a tuple.</summary>
    public string Name { get; }

    /// <summary>Type arguments of a generic name, or the elements of a tuple.</summary>
    public List<ContractTypeName> Arguments { get; }

    public bool IsTuple { get; }

    /// <summary>Suffixes in source order: <c>?</c> for nullable, <c>[]</c>/<c>[,]</c> for arrays.</summary>
    public List<string> Suffixes { get; } = new();

    /// <summary>The key a generic definition is found under: <c>Demo.Box`1</c>; the plain name when not generic.</summary>
    public string DefinitionKey => Arguments.Count == 0 || IsTuple ? Name : Name + "`" + Arguments.Count;

    public static ContractTypeName Parse(string text)
    {
        int position = 0;
        ContractTypeName result = ParseType(text, ref position);
        return result;
    }

    /// <summary>
    /// The canonical spelling: no <c>global::</c>, no tuple element names, and <c>?</c> kept only where it changes
    /// the wire format (a nullable value type); <paramref name="isValueType"/> says which names are value types.
    /// </summary>
    public string ToCanonical(Func<ContractTypeName, bool> isValueType)
    {
        var builder = new StringBuilder();
        AppendCanonical(builder, isValueType);
        return builder.ToString();
    }

    /// <summary>This name and every name nested in it (type arguments, tuple elements).</summary>
    public IEnumerable<ContractTypeName> SelfAndDescendants()
    {
        yield return this;
        foreach (ContractTypeName argument in Arguments)
        {
            foreach (ContractTypeName nested in argument.SelfAndDescendants())
            {
                yield return nested;
            }
        }
    }

    private void AppendCanonical(StringBuilder builder, Func<ContractTypeName, bool> isValueType)
    {
        if (IsTuple)
        {
            builder.Append('(');
        }
        else
        {
            builder.Append(Name);
            if (Arguments.Count > 0)
            {
                builder.Append('<');
            }
        }
        for (int i = 0; i < Arguments.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }
            Arguments[i].AppendCanonical(builder, isValueType);
        }
        if (IsTuple)
        {
            builder.Append(')');
        }
        else if (Arguments.Count > 0)
        {
            builder.Append('>');
        }
        // A '?' applies to what precedes it: the element (value type or not) until an array suffix makes it an array.
        bool elementIsValueType = IsTuple || isValueType(this);
        bool isArray = false;
        foreach (string suffix in Suffixes)
        {
            if (suffix == "?")
            {
                if (!isArray && elementIsValueType)
                {
                    builder.Append('?');
                }
            }
            else
            {
                isArray = true;
                builder.Append(suffix);
            }
        }
    }

    private static ContractTypeName ParseType(string text, ref int position)
    {
        SkipSpaces(text, ref position);
        ContractTypeName type;
        if (position < text.Length && text[position] == '(')
        {
            position++;
            var elements = new List<ContractTypeName>();
            while (true)
            {
                elements.Add(ParseType(text, ref position));
                SkipSpaces(text, ref position);
                // A named tuple element: skip the name.
                if (position < text.Length && (char.IsLetter(text[position]) || text[position] == '_' || text[position] == '@'))
                {
                    ReadIdentifier(text, ref position);
                    SkipSpaces(text, ref position);
                }
                if (position < text.Length && text[position] == ',')
                {
                    position++;
                    continue;
                }
                Expect(text, ref position, ')');
                break;
            }
            type = new ContractTypeName(string.Empty, elements, isTuple: true);
        }
        else
        {
            var name = new StringBuilder();
            var arguments = new List<ContractTypeName>();
            while (true)
            {
                if (string.CompareOrdinal(text, position, "global::", 0, 8) == 0)
                {
                    position += 8;
                }
                name.Append(ReadIdentifier(text, ref position));
                if (position < text.Length && text[position] == '<')
                {
                    position++;
                    while (true)
                    {
                        arguments.Add(ParseType(text, ref position));
                        SkipSpaces(text, ref position);
                        if (position < text.Length && text[position] == ',')
                        {
                            position++;
                            continue;
                        }
                        Expect(text, ref position, '>');
                        break;
                    }
                }
                if (position < text.Length && text[position] == '.')
                {
                    position++;
                    name.Append('.');
                    continue;
                }
                break;
            }
            type = new ContractTypeName(name.ToString(), arguments, isTuple: false);
        }
        while (position < text.Length)
        {
            if (text[position] == '?')
            {
                type.Suffixes.Add("?");
                position++;
            }
            else if (text[position] == '[')
            {
                int end = text.IndexOf(']', position);
                if (end < 0)
                {
                    throw new FormatException("Unclosed array rank in " + text);
                }
                type.Suffixes.Add(text.Substring(position, end - position + 1).Replace(" ", string.Empty));
                position = end + 1;
            }
            else
            {
                break;
            }
        }
        return type;
    }

    private static string ReadIdentifier(string text, ref int position)
    {
        int start = position;
        while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] == '_' || text[position] == '@'))
        {
            position++;
        }
        if (position == start)
        {
            throw new FormatException($"Expected a name at {position} in {text}");
        }
        return text.Substring(start, position - start).Replace("@", string.Empty);
    }

    private static void SkipSpaces(string text, ref int position)
    {
        while (position < text.Length && text[position] == ' ')
        {
            position++;
        }
    }

    private static void Expect(string text, ref int position, char expected)
    {
        SkipSpaces(text, ref position);
        if (position >= text.Length || text[position] != expected)
        {
            throw new FormatException($"Expected '{expected}' at {position} in {text}");
        }
        position++;
    }
}
