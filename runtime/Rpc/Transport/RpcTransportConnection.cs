using System;
using System.IO;
using System.IO.Pipelines;
using System.Security.Cryptography.X509Certificates;
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

    /// <summary>The byte stream under the pipes, for a TLS step to wrap before the pipes are used; null when there is none (in-memory).</summary>
    public virtual Stream? Stream => null;

    /// <summary>The certificate the peer presented during a TLS handshake; null without TLS or without one.</summary>
    public virtual X509Certificate2? RemoteCertificate => null;

    /// <summary>True when the bytes travel encrypted (TLS).</summary>
    public virtual bool IsSecure => false;

    public abstract ValueTask DisposeAsync();
}
