using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace Rpc.Transport;

/// <summary>Accepts connections on one endpoint.</summary>
internal abstract class RpcTransportListener : IAsyncDisposable
{
    /// <summary>The bound endpoint (for TCP port 0, the port the system chose).</summary>
    public abstract EndPoint EndPoint { get; }

    /// <summary>The next connection, or null once the listener is disposed.</summary>
    public abstract ValueTask<RpcTransportConnection?> AcceptAsync(CancellationToken cancellationToken = default);

    /// <summary>Stops listening; connections already accepted are not affected.</summary>
    public abstract ValueTask DisposeAsync();
}
