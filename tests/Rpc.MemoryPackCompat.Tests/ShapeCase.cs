namespace Compat;

/// <summary>
/// One type shape as one twin declares it: how to make a value from a seed, write it and read it back.
/// <see cref="MemoryPackLeavesStalePadding"/>: MemoryPack's bytes may carry stale padding, so they are compared after
/// Rpc has read and rewritten them (which also proves that the values are equal).
/// <see cref="WriteWithRpc"/> and <see cref="ReadWithRpc"/>: the same type through Rpc's serializer.
/// </summary>
public sealed record ShapeCase(
    string Name,
    Func<Random, object?> Make,
    Func<object?, byte[]> Write,
    Func<byte[], object?> Read,
    bool MemoryPackLeavesStalePadding,
    Func<object?, byte[]> WriteWithRpc,
    Func<byte[], object?> ReadWithRpc);

/// <summary>
/// A change of a type between versions: bytes written as <see cref="Old"/> are read as <see cref="New"/>.
/// <see cref="Fails"/>: both libraries must refuse (an object type cannot read a payload with more members).
/// </summary>
public sealed record EvolutionCase(string Old, string New, bool Fails);
