namespace Rpc;

/// <summary>One entry of <see cref="RpcMetadata"/>: a key and either a string or a binary value.</summary>
public readonly struct RpcMetadataEntry
{
    internal RpcMetadataEntry(string key, string? stringValue, byte[]? binaryValue)
    {
        Key = key;
        StringValue = stringValue;
        BinaryValue = binaryValue;
    }

    /// <summary>The key, in lower case (keys are case-insensitive ASCII).</summary>
    public string Key { get; }

    /// <summary>The value when it is a string; otherwise null.</summary>
    public string? StringValue { get; }

    /// <summary>The value when it is binary; otherwise null.</summary>
    public byte[]? BinaryValue { get; }

    /// <summary>True when the value is binary (<see cref="BinaryValue"/>), false when it is a string.</summary>
    public bool IsBinary => BinaryValue is not null;

    /// <inheritdoc />
    public override string ToString() => IsBinary ? $"{Key}: <{BinaryValue!.Length} bytes>" : $"{Key}: {StringValue}";
}
