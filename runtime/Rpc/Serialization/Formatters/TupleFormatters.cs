using System;

namespace Rpc.Serialization.Formatters;

/// <summary><c>Tuple</c> of 1: header 1, then the items; <c>0xFF</c> for null.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class TupleFormatter<T1> : RpcFormatter<Tuple<T1?>>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in Tuple<T1?>? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }
        writer.WriteObjectHeader(1);
        writer.WriteValue(value.Item1);
    }

    /// <inheritdoc />
    public override Tuple<T1?>? Deserialize(ref RpcReader reader)
    {
        if (!reader.TryReadObjectHeader(out byte count))
        {
            return null;
        }
        if (count != 1)
        {
            throw new RpcSerializationException($"A tuple of 1 needs header 1, the payload has {count}.");
        }
        T1? item1 = reader.ReadValue<T1>();
        return new Tuple<T1?>(item1);
    }
}

/// <summary><c>ValueTuple</c> of 1 that holds references: the items in order, no header.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class ValueTupleFormatter<T1> : RpcFormatter<ValueTuple<T1?>>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in ValueTuple<T1?> value)
    {
        writer.WriteValue(value.Item1);
    }

    /// <inheritdoc />
    public override ValueTuple<T1?> Deserialize(ref RpcReader reader)
    {
        T1? item1 = reader.ReadValue<T1>();
        return new ValueTuple<T1?>(item1);
    }
}

/// <summary><c>Tuple</c> of 2: header 2, then the items; <c>0xFF</c> for null.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class TupleFormatter<T1, T2> : RpcFormatter<Tuple<T1?, T2?>>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in Tuple<T1?, T2?>? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }
        writer.WriteObjectHeader(2);
        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
    }

    /// <inheritdoc />
    public override Tuple<T1?, T2?>? Deserialize(ref RpcReader reader)
    {
        if (!reader.TryReadObjectHeader(out byte count))
        {
            return null;
        }
        if (count != 2)
        {
            throw new RpcSerializationException($"A tuple of 2 needs header 2, the payload has {count}.");
        }
        T1? item1 = reader.ReadValue<T1>();
        T2? item2 = reader.ReadValue<T2>();
        return new Tuple<T1?, T2?>(item1, item2);
    }
}

/// <summary><c>ValueTuple</c> of 2 that holds references: the items in order, no header.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class ValueTupleFormatter<T1, T2> : RpcFormatter<ValueTuple<T1?, T2?>>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in ValueTuple<T1?, T2?> value)
    {
        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
    }

    /// <inheritdoc />
    public override ValueTuple<T1?, T2?> Deserialize(ref RpcReader reader)
    {
        T1? item1 = reader.ReadValue<T1>();
        T2? item2 = reader.ReadValue<T2>();
        return new ValueTuple<T1?, T2?>(item1, item2);
    }
}

/// <summary><c>Tuple</c> of 3: header 3, then the items; <c>0xFF</c> for null.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class TupleFormatter<T1, T2, T3> : RpcFormatter<Tuple<T1?, T2?, T3?>>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in Tuple<T1?, T2?, T3?>? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }
        writer.WriteObjectHeader(3);
        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
        writer.WriteValue(value.Item3);
    }

    /// <inheritdoc />
    public override Tuple<T1?, T2?, T3?>? Deserialize(ref RpcReader reader)
    {
        if (!reader.TryReadObjectHeader(out byte count))
        {
            return null;
        }
        if (count != 3)
        {
            throw new RpcSerializationException($"A tuple of 3 needs header 3, the payload has {count}.");
        }
        T1? item1 = reader.ReadValue<T1>();
        T2? item2 = reader.ReadValue<T2>();
        T3? item3 = reader.ReadValue<T3>();
        return new Tuple<T1?, T2?, T3?>(item1, item2, item3);
    }
}

/// <summary><c>ValueTuple</c> of 3 that holds references: the items in order, no header.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class ValueTupleFormatter<T1, T2, T3> : RpcFormatter<ValueTuple<T1?, T2?, T3?>>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in ValueTuple<T1?, T2?, T3?> value)
    {
        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
        writer.WriteValue(value.Item3);
    }

    /// <inheritdoc />
    public override ValueTuple<T1?, T2?, T3?> Deserialize(ref RpcReader reader)
    {
        T1? item1 = reader.ReadValue<T1>();
        T2? item2 = reader.ReadValue<T2>();
        T3? item3 = reader.ReadValue<T3>();
        return new ValueTuple<T1?, T2?, T3?>(item1, item2, item3);
    }
}

/// <summary><c>Tuple</c> of 4: header 4, then the items; <c>0xFF</c> for null.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class TupleFormatter<T1, T2, T3, T4> : RpcFormatter<Tuple<T1?, T2?, T3?, T4?>>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in Tuple<T1?, T2?, T3?, T4?>? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }
        writer.WriteObjectHeader(4);
        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
        writer.WriteValue(value.Item3);
        writer.WriteValue(value.Item4);
    }

    /// <inheritdoc />
    public override Tuple<T1?, T2?, T3?, T4?>? Deserialize(ref RpcReader reader)
    {
        if (!reader.TryReadObjectHeader(out byte count))
        {
            return null;
        }
        if (count != 4)
        {
            throw new RpcSerializationException($"A tuple of 4 needs header 4, the payload has {count}.");
        }
        T1? item1 = reader.ReadValue<T1>();
        T2? item2 = reader.ReadValue<T2>();
        T3? item3 = reader.ReadValue<T3>();
        T4? item4 = reader.ReadValue<T4>();
        return new Tuple<T1?, T2?, T3?, T4?>(item1, item2, item3, item4);
    }
}

/// <summary><c>ValueTuple</c> of 4 that holds references: the items in order, no header.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class ValueTupleFormatter<T1, T2, T3, T4> : RpcFormatter<ValueTuple<T1?, T2?, T3?, T4?>>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in ValueTuple<T1?, T2?, T3?, T4?> value)
    {
        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
        writer.WriteValue(value.Item3);
        writer.WriteValue(value.Item4);
    }

    /// <inheritdoc />
    public override ValueTuple<T1?, T2?, T3?, T4?> Deserialize(ref RpcReader reader)
    {
        T1? item1 = reader.ReadValue<T1>();
        T2? item2 = reader.ReadValue<T2>();
        T3? item3 = reader.ReadValue<T3>();
        T4? item4 = reader.ReadValue<T4>();
        return new ValueTuple<T1?, T2?, T3?, T4?>(item1, item2, item3, item4);
    }
}

/// <summary><c>Tuple</c> of 5: header 5, then the items; <c>0xFF</c> for null.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class TupleFormatter<T1, T2, T3, T4, T5> : RpcFormatter<Tuple<T1?, T2?, T3?, T4?, T5?>>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in Tuple<T1?, T2?, T3?, T4?, T5?>? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }
        writer.WriteObjectHeader(5);
        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
        writer.WriteValue(value.Item3);
        writer.WriteValue(value.Item4);
        writer.WriteValue(value.Item5);
    }

    /// <inheritdoc />
    public override Tuple<T1?, T2?, T3?, T4?, T5?>? Deserialize(ref RpcReader reader)
    {
        if (!reader.TryReadObjectHeader(out byte count))
        {
            return null;
        }
        if (count != 5)
        {
            throw new RpcSerializationException($"A tuple of 5 needs header 5, the payload has {count}.");
        }
        T1? item1 = reader.ReadValue<T1>();
        T2? item2 = reader.ReadValue<T2>();
        T3? item3 = reader.ReadValue<T3>();
        T4? item4 = reader.ReadValue<T4>();
        T5? item5 = reader.ReadValue<T5>();
        return new Tuple<T1?, T2?, T3?, T4?, T5?>(item1, item2, item3, item4, item5);
    }
}

/// <summary><c>ValueTuple</c> of 5 that holds references: the items in order, no header.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class ValueTupleFormatter<T1, T2, T3, T4, T5> : RpcFormatter<ValueTuple<T1?, T2?, T3?, T4?, T5?>>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in ValueTuple<T1?, T2?, T3?, T4?, T5?> value)
    {
        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
        writer.WriteValue(value.Item3);
        writer.WriteValue(value.Item4);
        writer.WriteValue(value.Item5);
    }

    /// <inheritdoc />
    public override ValueTuple<T1?, T2?, T3?, T4?, T5?> Deserialize(ref RpcReader reader)
    {
        T1? item1 = reader.ReadValue<T1>();
        T2? item2 = reader.ReadValue<T2>();
        T3? item3 = reader.ReadValue<T3>();
        T4? item4 = reader.ReadValue<T4>();
        T5? item5 = reader.ReadValue<T5>();
        return new ValueTuple<T1?, T2?, T3?, T4?, T5?>(item1, item2, item3, item4, item5);
    }
}

/// <summary><c>Tuple</c> of 6: header 6, then the items; <c>0xFF</c> for null.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class TupleFormatter<T1, T2, T3, T4, T5, T6> : RpcFormatter<Tuple<T1?, T2?, T3?, T4?, T5?, T6?>>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in Tuple<T1?, T2?, T3?, T4?, T5?, T6?>? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }
        writer.WriteObjectHeader(6);
        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
        writer.WriteValue(value.Item3);
        writer.WriteValue(value.Item4);
        writer.WriteValue(value.Item5);
        writer.WriteValue(value.Item6);
    }

    /// <inheritdoc />
    public override Tuple<T1?, T2?, T3?, T4?, T5?, T6?>? Deserialize(ref RpcReader reader)
    {
        if (!reader.TryReadObjectHeader(out byte count))
        {
            return null;
        }
        if (count != 6)
        {
            throw new RpcSerializationException($"A tuple of 6 needs header 6, the payload has {count}.");
        }
        T1? item1 = reader.ReadValue<T1>();
        T2? item2 = reader.ReadValue<T2>();
        T3? item3 = reader.ReadValue<T3>();
        T4? item4 = reader.ReadValue<T4>();
        T5? item5 = reader.ReadValue<T5>();
        T6? item6 = reader.ReadValue<T6>();
        return new Tuple<T1?, T2?, T3?, T4?, T5?, T6?>(item1, item2, item3, item4, item5, item6);
    }
}

/// <summary><c>ValueTuple</c> of 6 that holds references: the items in order, no header.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class ValueTupleFormatter<T1, T2, T3, T4, T5, T6> : RpcFormatter<ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?>>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?> value)
    {
        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
        writer.WriteValue(value.Item3);
        writer.WriteValue(value.Item4);
        writer.WriteValue(value.Item5);
        writer.WriteValue(value.Item6);
    }

    /// <inheritdoc />
    public override ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?> Deserialize(ref RpcReader reader)
    {
        T1? item1 = reader.ReadValue<T1>();
        T2? item2 = reader.ReadValue<T2>();
        T3? item3 = reader.ReadValue<T3>();
        T4? item4 = reader.ReadValue<T4>();
        T5? item5 = reader.ReadValue<T5>();
        T6? item6 = reader.ReadValue<T6>();
        return new ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?>(item1, item2, item3, item4, item5, item6);
    }
}

/// <summary><c>Tuple</c> of 7: header 7, then the items; <c>0xFF</c> for null.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class TupleFormatter<T1, T2, T3, T4, T5, T6, T7> : RpcFormatter<Tuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?>>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in Tuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?>? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }
        writer.WriteObjectHeader(7);
        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
        writer.WriteValue(value.Item3);
        writer.WriteValue(value.Item4);
        writer.WriteValue(value.Item5);
        writer.WriteValue(value.Item6);
        writer.WriteValue(value.Item7);
    }

    /// <inheritdoc />
    public override Tuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?>? Deserialize(ref RpcReader reader)
    {
        if (!reader.TryReadObjectHeader(out byte count))
        {
            return null;
        }
        if (count != 7)
        {
            throw new RpcSerializationException($"A tuple of 7 needs header 7, the payload has {count}.");
        }
        T1? item1 = reader.ReadValue<T1>();
        T2? item2 = reader.ReadValue<T2>();
        T3? item3 = reader.ReadValue<T3>();
        T4? item4 = reader.ReadValue<T4>();
        T5? item5 = reader.ReadValue<T5>();
        T6? item6 = reader.ReadValue<T6>();
        T7? item7 = reader.ReadValue<T7>();
        return new Tuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?>(item1, item2, item3, item4, item5, item6, item7);
    }
}

/// <summary><c>ValueTuple</c> of 7 that holds references: the items in order, no header.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class ValueTupleFormatter<T1, T2, T3, T4, T5, T6, T7> : RpcFormatter<ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?>>
{
    /// <inheritdoc />
    public override void Serialize(ref RpcWriter writer, scoped in ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?> value)
    {
        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
        writer.WriteValue(value.Item3);
        writer.WriteValue(value.Item4);
        writer.WriteValue(value.Item5);
        writer.WriteValue(value.Item6);
        writer.WriteValue(value.Item7);
    }

    /// <inheritdoc />
    public override ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?> Deserialize(ref RpcReader reader)
    {
        T1? item1 = reader.ReadValue<T1>();
        T2? item2 = reader.ReadValue<T2>();
        T3? item3 = reader.ReadValue<T3>();
        T4? item4 = reader.ReadValue<T4>();
        T5? item5 = reader.ReadValue<T5>();
        T6? item6 = reader.ReadValue<T6>();
        T7? item7 = reader.ReadValue<T7>();
        return new ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?>(item1, item2, item3, item4, item5, item6, item7);
    }
}
