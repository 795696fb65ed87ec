namespace Rpc.Client;

/// <summary>
/// A call that provably never reached a server's handler: its connection was closing before the request was queued,
/// or the server's GoAway said it stopped accepting below the call's id. Such a call may be sent again on another
/// connection whatever its method (a transparent retry). Callers see it as <see cref="RpcStatusCode.Unavailable"/>.
/// </summary>
internal sealed class RpcRefusedException : RpcException
{
    public RpcRefusedException(string message)
        : base(RpcStatusCode.Unavailable, message)
    {
    }
}
