namespace Compat;

/// <summary>
/// The checks of one value against both libraries, shared by the hand-written twins and the random shapes.
/// </summary>
public static class TwinCheck
{
    /// <summary>
    /// The twins' equal values: both libraries write the same bytes, each reads the other's bytes and writes them
    /// back the same, and Rpc round-trips its own.
    /// </summary>
    public static void SameBytes(ShapeCase memoryPack, ShapeCase rpc, object? memoryPackValue, object? rpcValue, string where)
    {
        byte[] memoryPackBytes = memoryPack.Write(memoryPackValue);
        byte[] rpcBytes = rpc.Write(rpcValue);
        CompatAssert.SameBytes(rpcBytes, rpc.Write(rpc.Read(rpcBytes)), where + ": Rpc's round trip changed the bytes");
        if (memoryPack.MemoryPackLeavesStalePadding)
        {
            // Compare MemoryPack's bytes as Rpc rewrites them (padding zeroed): the same values, Rpc's bytes. And
            // MemoryPack's own bytes differ from Rpc's only where Rpc writes a zero (padding).
            CompatAssert.SameBytesBesidesPadding(rpcBytes, memoryPackBytes, where + ": MemoryPack's bytes differ from Rpc's beyond padding");
            CompatAssert.SameBytes(rpcBytes, rpc.Write(rpc.Read(memoryPackBytes)), where + ": Rpc read MemoryPack's bytes into another value");
            CompatAssert.SameBytes(rpcBytes, rpc.Write(rpc.Read(memoryPack.Write(memoryPack.Read(rpcBytes)))), where + ": MemoryPack read Rpc's bytes into another value");
            return;
        }
        CompatAssert.SameBytes(memoryPackBytes, rpcBytes, where + ": Rpc wrote other bytes than MemoryPack");
        CompatAssert.SameBytes(memoryPackBytes, rpc.Write(rpc.Read(memoryPackBytes)), where + ": Rpc read MemoryPack's bytes and wrote them back differently");
        CompatAssert.SameBytes(rpcBytes, memoryPack.Write(memoryPack.Read(rpcBytes)), where + ": MemoryPack read Rpc's bytes and wrote them back differently");
    }

    /// <summary>
    /// <see cref="SameBytes"/> for a shape with padded raw structs nested anywhere (random shapes): even Rpc copies
    /// such a struct's padding from the value's memory, so every comparison allows short runs of other bytes.
    /// </summary>
    public static void SameBytesBesidesPadding(ShapeCase memoryPack, ShapeCase rpc, object? memoryPackValue, object? rpcValue, string where)
    {
        byte[] memoryPackBytes = memoryPack.Write(memoryPackValue);
        byte[] rpcBytes = rpc.Write(rpcValue);
        CompatAssert.SameBytesBesidesAnyPadding(rpcBytes, rpc.Write(rpc.Read(rpcBytes)), where + ": Rpc's round trip changed the bytes");
        CompatAssert.SameBytesBesidesAnyPadding(rpcBytes, memoryPackBytes, where + ": Rpc wrote other bytes than MemoryPack");
        CompatAssert.SameBytesBesidesAnyPadding(rpcBytes, rpc.Write(rpc.Read(memoryPackBytes)), where + ": Rpc read MemoryPack's bytes into another value");
        CompatAssert.SameBytesBesidesAnyPadding(rpcBytes, rpc.Write(rpc.Read(memoryPack.Write(memoryPack.Read(rpcBytes)))), where + ": MemoryPack read Rpc's bytes into another value");
    }

    /// <summary>
    /// An old version's payload (written by MemoryPack) read as the new version gives the same value in both
    /// libraries, and MemoryPack reads Rpc's old payload as it reads its own.
    /// </summary>
    public static void SameNewValue(ShapeCase rpcOld, ShapeCase memoryPackNew, ShapeCase rpcNew, byte[] oldBytes, string where)
    {
        byte[] byMemoryPack = memoryPackNew.Write(memoryPackNew.Read(oldBytes));
        byte[] byRpc = rpcNew.Write(rpcNew.Read(oldBytes));
        byte[] rpcOldBytes = rpcOld.Write(rpcOld.Read(oldBytes));
        byte[] byMemoryPackFromRpc = memoryPackNew.Write(memoryPackNew.Read(rpcOldBytes));
        if (memoryPackNew.MemoryPackLeavesStalePadding)
        {
            // Stale padding: compare as Rpc rewrites the values, short runs of other (padding) bytes allowed.
            byMemoryPack = rpcNew.Write(rpcNew.Read(byMemoryPack));
            byMemoryPackFromRpc = rpcNew.Write(rpcNew.Read(byMemoryPackFromRpc));
            CompatAssert.SameBytesBesidesAnyPadding(byMemoryPack, byRpc, where + ": the two libraries read the old payload into different new values");
            CompatAssert.SameBytesBesidesAnyPadding(byMemoryPack, byMemoryPackFromRpc, where + ": MemoryPack read Rpc's old payload differently");
            return;
        }
        CompatAssert.SameBytes(byMemoryPack, byRpc, where + ": the two libraries read the old payload into different new values");
        CompatAssert.SameBytes(byMemoryPack, byMemoryPackFromRpc, where + ": MemoryPack read Rpc's old payload differently");
    }
}
