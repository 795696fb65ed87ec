namespace Rpc.Protocol;

/// <summary>A stream item as received: a copy of its payload in an array rented from the shared pool.</summary>
internal readonly struct RpcReceivedItem
{
    public RpcReceivedItem(byte[] buffer, int length)
    {
        Buffer = buffer;
        Length = length;
    }

    public byte[] Buffer { get; }

    public int Length { get; }

    /// <summary>The flow-control credit the item consumed.</summary>
    public int Cost => RpcFlowControl.Cost(Length);
}
