using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Rpc.Generators.Contracts;

/// <summary>
/// A small JSON reader for contract documents (analyzers cannot count on System.Text.Json being loadable in every
/// compiler host). Objects become ordinal dictionaries, arrays lists, numbers their text.
/// </summary>
internal sealed class ContractJsonReader
{
    private readonly string _text;
    private int _position;

    private ContractJsonReader(string text) => _text = text;

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> with the offset when it is not JSON.</summary>
    public static object? Parse(string text)
    {
        var reader = new ContractJsonReader(text);
        object? value = reader.ReadValue();
        reader.SkipWhitespace();
        if (reader._position != text.Length)
        {
            throw reader.Error("Unexpected text after the document");
        }
        return value;
    }

    private object? ReadValue()
    {
        SkipWhitespace();
        if (_position >= _text.Length)
        {
            throw Error("Unexpected end");
        }
        char c = _text[_position];
        switch (c)
        {
            case '{': return ReadObject();
            case '[': return ReadArray();
            case '"': return ReadString();
            case 't': Expect("true"); return true;
            case 'f': Expect("false"); return false;
            case 'n': Expect("null"); return null;
            default:
                if (c == '-' || char.IsDigit(c))
                {
                    int start = _position;
                    while (_position < _text.Length && "+-0123456789.eE".IndexOf(_text[_position]) >= 0)
                    {
                        _position++;
                    }
                    return new JsonNumber(_text.Substring(start, _position - start));
                }
                throw Error($"Unexpected '{c}'");
        }
    }

    private Dictionary<string, object?> ReadObject()
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        _position++;
        SkipWhitespace();
        if (Peek() == '}')
        {
            _position++;
            return result;
        }
        while (true)
        {
            SkipWhitespace();
            string name = ReadString();
            SkipWhitespace();
            ExpectChar(':');
            result[name] = ReadValue();
            SkipWhitespace();
            if (Peek() == ',')
            {
                _position++;
                continue;
            }
            ExpectChar('}');
            return result;
        }
    }

    private List<object?> ReadArray()
    {
        var result = new List<object?>();
        _position++;
        SkipWhitespace();
        if (Peek() == ']')
        {
            _position++;
            return result;
        }
        while (true)
        {
            result.Add(ReadValue());
            SkipWhitespace();
            if (Peek() == ',')
            {
                _position++;
                continue;
            }
            ExpectChar(']');
            return result;
        }
    }

    private string ReadString()
    {
        ExpectChar('"');
        var builder = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw Error("Unterminated string");
            }
            char c = _text[_position++];
            if (c == '"')
            {
                return builder.ToString();
            }
            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }
            char escape = _position < _text.Length ? _text[_position++] : '\0';
            switch (escape)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u' when _position + 4 <= _text.Length:
                    builder.Append((char)int.Parse(_text.Substring(_position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    _position += 4;
                    break;
                default:
                    throw Error("Invalid escape");
            }
        }
    }

    private char Peek() => _position < _text.Length ? _text[_position] : '\0';

    private void SkipWhitespace()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private void Expect(string literal)
    {
        if (string.CompareOrdinal(_text, _position, literal, 0, literal.Length) != 0)
        {
            throw Error($"Expected {literal}");
        }
        _position += literal.Length;
    }

    private void ExpectChar(char c)
    {
        if (Peek() != c)
        {
            throw Error($"Expected '{c}'");
        }
        _position++;
    }

    private FormatException Error(string message) => new($"{message} at offset {_position}.");
}

/// <summary>A JSON number, kept as its text.</summary>
internal sealed class JsonNumber
{
    public JsonNumber(string text) => Text = text;

    public string Text { get; }

    public override string ToString() => Text;
}
