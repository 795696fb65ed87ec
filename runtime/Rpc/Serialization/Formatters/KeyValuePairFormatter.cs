using System.Collections.Generic;

namespace Rpc.Serialization.Formatters;

/// <summary><c>KeyValuePair</c> that holds references: the key, then the value, no header.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class KeyValuePairFormatter<TKey, TValue> : RpcFormatter<KeyValuePair<TKey?, TValue?>>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in KeyValuePair<TKey?, TValue?> value)
    {
        writer.WriteValue(value.Key);
        writer.WriteValue(value.Value);
    }

    /// <inheritdoc />
    public override KeyValuePair<TKey?, TValue?> Deserialize(ref RpcReader reader)
    {
        TKey? key = reader.ReadValue<TKey>();
        TValue? value = reader.ReadValue<TValue>();
        return new KeyValuePair<TKey?, TValue?>(key, value);
    }
}
