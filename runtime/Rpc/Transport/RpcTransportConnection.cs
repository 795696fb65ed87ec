using System;
using System.IO.Pipelines;
using System.Net;
using System.Threading.Tasks;

namespace Rpc.Transport;

/// <summary>
/// A connected byte stream as a duplex pipe. Whoever reads <see cref="Input"/> and writes <see cref="Output"/>
/// stops doing so before <see cref="DisposeAsync"/>, which completes both and closes the underlying resource.
/// </summary>
internal abstract class RpcTransportConnection : IDuplexPipe, IAsyncDisposable
{
    public abstract PipeReader Input { get; }

    public abstract PipeWriter Output { get; }

    /// <summary>The other side's address, when the transport has one.</summary>
    public abstract EndPoint? RemoteEndPoint { get; }

    public abstract ValueTask DisposeAsync();
}
