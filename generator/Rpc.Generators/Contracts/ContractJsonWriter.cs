using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Rpc.Generators.Contracts;

/// <summary>
/// Writes JSON in exactly the order it is told, indented (two spaces, <c>\n</c> line ends) for the lock file or
/// compact for what only programs read: the contract must be byte-for-byte deterministic, so that a lock file diff
/// shows only real changes.
/// </summary>
internal sealed class ContractJsonWriter
{
    private readonly StringBuilder _builder = new();
    private readonly bool _indented;
    // Per open container: whether it has an element yet.
    private readonly Stack<bool> _hasElements = new();
    private bool _afterPropertyName;

    public ContractJsonWriter(bool indented = true) => _indented = indented;

    /// <summary>
    /// The compact form of JSON this writer indented: the same text without the whitespace between tokens (strings
    /// never hold a raw space or line end that matters here: only the indentation is outside them).
    /// </summary>
    public static string Compact(string indented)
    {
        var builder = new StringBuilder(indented.Length);
        bool inString = false;
        bool escaped = false;
        foreach (char c in indented)
        {
            if (inString)
            {
                builder.Append(c);
                if (escaped)
                {
                    escaped = false;
                }
                else if (c == '\\')
                {
                    escaped = true;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c != ' ' && c != '\n')
            {
                builder.Append(c);
                inString = c == '"';
            }
        }
        return builder.ToString();
    }

    public ContractJsonWriter StartObject() => Open('{');

    public ContractJsonWriter EndObject() => Close('}');

    public ContractJsonWriter StartArray() => Open('[');

    public ContractJsonWriter EndArray() => Close(']');

    public ContractJsonWriter Property(string name)
    {
        BeginValue();
        AppendString(name);
        _builder.Append(_indented ? ": " : ":");
        _afterPropertyName = true;
        return this;
    }

    public ContractJsonWriter String(string? value)
    {
        BeginValue();
        if (value is null)
        {
            _builder.Append("null");
        }
        else
        {
            AppendString(value);
        }
        return this;
    }

    public ContractJsonWriter Number(long value)
    {
        BeginValue();
        _builder.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    /// <summary>A number already in JSON form (an enum value of any underlying type).</summary>
    public ContractJsonWriter RawNumber(string value)
    {
        BeginValue();
        _builder.Append(value);
        return this;
    }

    public ContractJsonWriter Boolean(bool value)
    {
        BeginValue();
        _builder.Append(value ? "true" : "false");
        return this;
    }

    public override string ToString() => _indented ? _builder.ToString() + "\n" : _builder.ToString();

    private ContractJsonWriter Open(char bracket)
    {
        BeginValue();
        _builder.Append(bracket);
        _hasElements.Push(false);
        return this;
    }

    private ContractJsonWriter Close(char bracket)
    {
        bool hadElements = _hasElements.Pop();
        if (hadElements)
        {
            NewLine();
        }
        _builder.Append(bracket);
        return this;
    }

    private void BeginValue()
    {
        if (_afterPropertyName)
        {
            _afterPropertyName = false;
            return;
        }
        if (_hasElements.Count == 0)
        {
            return;
        }
        if (_hasElements.Pop())
        {
            _builder.Append(',');
        }
        _hasElements.Push(true);
        NewLine();
    }

    private void NewLine()
    {
        if (_indented)
        {
            _builder.Append('\n').Append(' ', _hasElements.Count * 2);
        }
    }

    private void AppendString(string value)
    {
        _builder.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': _builder.Append("\\\""); break;
                case '\\': _builder.Append("\\\\"); break;
                case '\n': _builder.Append("\\n"); break;
                case '\r': _builder.Append("\\r"); break;
                case '\t': _builder.Append("\\t"); break;
                default:
                    if (c < ' ')
                    {
                        _builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        _builder.Append(c);
                    }
                    break;
            }
        }
        _builder.Append('"');
    }
}
