namespace Rpc.Serialization;

/// <summary>The marker bytes and varint codes of the MemoryPack wire format.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class RpcWireCodes
{
    /// <summary>Object header for null.</summary>
    public const byte NullObject = 255;

    /// <summary>The largest member count an object header can carry; 250-254 are reserved.</summary>
    public const byte MaxMemberCount = 249;

    /// <summary>Union header: a ushort tag follows.</summary>
    public const byte WideTag = 250;

    /// <summary>Circular-reference header: a varint reference id follows.</summary>
    public const byte ReferenceId = 250;

    /// <summary>Collection header for null.</summary>
    public const int NullCollection = -1;

    /// <summary>The largest value a varint stores in its first byte.</summary>
    public const sbyte VarIntMaxSingleValue = 127;

    /// <summary>The smallest value a varint stores in its first byte.</summary>
    public const sbyte VarIntMinSingleValue = -120;

    /// <summary>Varint code: a byte follows.</summary>
    public const sbyte VarIntByte = -121;

    /// <summary>Varint code: an sbyte follows.</summary>
    public const sbyte VarIntSByte = -122;

    /// <summary>Varint code: a ushort follows.</summary>
    public const sbyte VarIntUInt16 = -123;

    /// <summary>Varint code: a short follows.</summary>
    public const sbyte VarIntInt16 = -124;

    /// <summary>Varint code: a uint follows.</summary>
    public const sbyte VarIntUInt32 = -125;

    /// <summary>Varint code: an int follows.</summary>
    public const sbyte VarIntInt32 = -126;

    /// <summary>Varint code: a ulong follows.</summary>
    public const sbyte VarIntUInt64 = -127;

    /// <summary>Varint code: a long follows.</summary>
    public const sbyte VarIntInt64 = -128;
}
