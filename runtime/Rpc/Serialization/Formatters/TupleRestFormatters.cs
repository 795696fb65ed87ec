using System;

namespace Rpc.Serialization.Formatters;

/// <summary>
/// <c>Tuple</c> of 8 or more (seven items and a <c>Rest</c> tuple): header 8, then the seven items and the rest;
/// <c>0xFF</c> for null.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class TupleFormatter<T1, T2, T3, T4, T5, T6, T7, TRest> : RpcFormatter<Tuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?, TRest>>
    where TRest : notnull
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in Tuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?, TRest>? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }
        writer.WriteObjectHeader(8);
        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
        writer.WriteValue(value.Item3);
        writer.WriteValue(value.Item4);
        writer.WriteValue(value.Item5);
        writer.WriteValue(value.Item6);
        writer.WriteValue(value.Item7);
        writer.WriteValue(value.Rest);
    }

    /// <inheritdoc />
    public override Tuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?, TRest>? Deserialize(ref RpcReader reader)
    {
        if (!reader.TryReadObjectHeader(out byte count))
        {
            return null;
        }
        if (count != 8)
        {
            throw new RpcSerializationException($"A tuple of 8 or more needs header 8, the payload has {count}.");
        }
        T1? item1 = reader.ReadValue<T1>();
        T2? item2 = reader.ReadValue<T2>();
        T3? item3 = reader.ReadValue<T3>();
        T4? item4 = reader.ReadValue<T4>();
        T5? item5 = reader.ReadValue<T5>();
        T6? item6 = reader.ReadValue<T6>();
        T7? item7 = reader.ReadValue<T7>();
        TRest rest = reader.ReadValue<TRest>() ?? throw new RpcSerializationException("The rest of a tuple of 8 or more is null.");
        return new Tuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?, TRest>(item1, item2, item3, item4, item5, item6, item7, rest);
    }
}

/// <summary>
/// <c>ValueTuple</c> of 8 or more (seven items and a <c>Rest</c> tuple) that holds references: the seven items, then
/// the rest, no header.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class ValueTupleFormatter<T1, T2, T3, T4, T5, T6, T7, TRest> : RpcFormatter<ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?, TRest>>
    where TRest : struct
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?, TRest> value)
    {
        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
        writer.WriteValue(value.Item3);
        writer.WriteValue(value.Item4);
        writer.WriteValue(value.Item5);
        writer.WriteValue(value.Item6);
        writer.WriteValue(value.Item7);
        writer.WriteValue(value.Rest);
    }

    /// <inheritdoc />
    public override ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?, TRest> Deserialize(ref RpcReader reader)
    {
        T1? item1 = reader.ReadValue<T1>();
        T2? item2 = reader.ReadValue<T2>();
        T3? item3 = reader.ReadValue<T3>();
        T4? item4 = reader.ReadValue<T4>();
        T5? item5 = reader.ReadValue<T5>();
        T6? item6 = reader.ReadValue<T6>();
        T7? item7 = reader.ReadValue<T7>();
        TRest rest = reader.ReadValue<TRest>();
        return new ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?, TRest>(item1, item2, item3, item4, item5, item6, item7, rest);
    }
}
