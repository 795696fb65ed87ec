using System;
using System.Collections;
using System.Collections.Generic;

namespace Rpc;

/// <summary>
/// Call metadata: request headers sent with a call, response headers and trailers sent back. Keys are
/// case-insensitive ASCII (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>) and are stored in lower case; a key may
/// appear more than once; values are strings or bytes. The wire limits are in <c>docs/protocol.md</c>
/// (<see cref="RpcServerOptions.MaxMetadataSize"/>, <see cref="RpcClientOptions.MaxMetadataSize"/>).
/// </summary>
public sealed class RpcMetadata : IEnumerable<RpcMetadataEntry>
{
    /// <summary>The most entries one metadata block may carry on the wire.</summary>
    public const int MaxEntries = 128;

    private readonly List<RpcMetadataEntry> _entries = new();
    private string? _readOnlyReason;

    /// <summary>Creates empty metadata.</summary>
    public RpcMetadata()
    {
    }

    /// <summary>The number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>Adds a string value.</summary>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty or has a character other than ASCII letters, digits, '-', '_' or '.'.</exception>
    /// <exception cref="InvalidOperationException">The metadata was already sent (response headers after the first response item).</exception>
    public void Add(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        AddEntry(new RpcMetadataEntry(NormalizeKey(key), value, null));
    }

    /// <summary>Adds a binary value. The array is kept, not copied: do not change it afterwards.</summary>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty or has a character other than ASCII letters, digits, '-', '_' or '.'.</exception>
    /// <exception cref="InvalidOperationException">The metadata was already sent (response headers after the first response item).</exception>
    public void Add(string key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        AddEntry(new RpcMetadataEntry(NormalizeKey(key), null, value));
    }

    /// <summary>The first string value under <paramref name="key"/> (case-insensitive); null when there is none.</summary>
    public string? GetString(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (RpcMetadataEntry entry in _entries)
        {
            if (!entry.IsBinary && string.Equals(entry.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return entry.StringValue;
            }
        }
        return null;
    }

    /// <summary>The first binary value under <paramref name="key"/> (case-insensitive); null when there is none.</summary>
    public byte[]? GetBytes(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (RpcMetadataEntry entry in _entries)
        {
            if (entry.IsBinary && string.Equals(entry.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return entry.BinaryValue;
            }
        }
        return null;
    }

    /// <summary>Enumerates the entries in the order they were added.</summary>
    public List<RpcMetadataEntry>.Enumerator GetEnumerator() => _entries.GetEnumerator();

    IEnumerator<RpcMetadataEntry> IEnumerable<RpcMetadataEntry>.GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _entries.GetEnumerator();

    /// <summary>Later additions throw <see cref="InvalidOperationException"/> with <paramref name="reason"/>.</summary>
    internal void MakeReadOnly(string reason) => _readOnlyReason = reason;

    internal RpcMetadataEntry this[int index] => _entries[index];

    /// <summary>Adds an entry whose key was validated already (decoded from the wire).</summary>
    internal void AddValidated(in RpcMetadataEntry entry) => _entries.Add(entry);

    internal RpcMetadata Clone()
    {
        var copy = new RpcMetadata();
        copy._entries.AddRange(_entries);
        return copy;
    }

    private void AddEntry(in RpcMetadataEntry entry)
    {
        if (_readOnlyReason is not null)
        {
            throw new InvalidOperationException(_readOnlyReason);
        }
        _entries.Add(entry);
    }

    /// <summary>Validates a key and returns it in lower case (allocating only when it had upper-case letters).</summary>
    internal static string NormalizeKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0)
        {
            throw new ArgumentException("A metadata key must not be empty.", nameof(key));
        }
        bool hasUpper = false;
        foreach (char c in key)
        {
            if (c is >= 'A' and <= 'Z')
            {
                hasUpper = true;
            }
            else if (!IsKeyChar(c))
            {
                throw new ArgumentException($"Metadata key '{key}' has the character '{c}' (U+{(int)c:X4}); keys are ASCII letters, digits, '-', '_' and '.'.", nameof(key));
            }
        }
        return hasUpper ? key.ToLowerInvariant() : key;
    }

    /// <summary>True when <paramref name="key"/> is a key as the wire carries it: non-empty, lower case, valid characters.</summary>
    internal static bool IsWireKey(string key)
    {
        if (key.Length == 0)
        {
            return false;
        }
        foreach (char c in key)
        {
            if (!IsKeyChar(c))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsKeyChar(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.';
}
