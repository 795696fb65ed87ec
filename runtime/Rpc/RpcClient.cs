using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Client;
using Rpc.Protocol;
using Rpc.Serialization;
using Rpc.Transport;

namespace Rpc;

/// <summary>
/// A client of one <see cref="RpcServer"/> endpoint, carrying any number of concurrent calls over one connection
/// that it keeps alive: when the connection drops or the server drains it, the client reconnects by itself with
/// exponential backoff (<see cref="RpcClientOptions.InitialReconnectDelay"/>), notices a silent peer by keepalive
/// pings, and lives until it is disposed. Create proxies with <see cref="CreateProxy{TService}"/>.
/// </summary>
public sealed class RpcClient : IAsyncDisposable, IRpcCallInvoker
{
    private readonly RpcClientSettings _settings;
    private readonly RpcSubchannel _subchannel;
    private readonly TaskCompletionSource _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RpcClient(RpcSubchannel subchannel, RpcClientSettings settings, EndPoint remoteEndPoint)
    {
        _subchannel = subchannel;
        _settings = settings;
        SerializerOptions = settings.SerializerOptions;
        RemoteEndPoint = remoteEndPoint;
    }

    /// <inheritdoc />
    public RpcSerializerOptions SerializerOptions { get; }

    /// <summary>The endpoint this client connects to.</summary>
    public EndPoint RemoteEndPoint { get; }

    /// <summary>The state of the client's connection: Ready, Connecting, TransientFailure (reconnecting after a failed attempt) or Shutdown.</summary>
    public RpcConnectionState State => _subchannel.State;

    /// <summary>True once the client was disposed; calls then fail with <see cref="RpcStatusCode.Unavailable"/>.</summary>
    public bool IsClosed => _subchannel.State == RpcConnectionState.Shutdown;

    /// <summary>Completes when the client has been disposed and its connections are closed.</summary>
    public Task Completion => _shutdown.Task;

    /// <summary>
    /// Connects to a server listening on <paramref name="endPoint"/> (<see cref="IPEndPoint"/>,
    /// <see cref="System.Net.Sockets.UnixDomainSocketEndPoint"/> or <see cref="InMemoryEndPoint"/>) and exchanges
    /// prefaces. The first connection must succeed; later ones are made by the client as needed.
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of its range.</exception>
    /// <exception cref="RpcException"><see cref="RpcStatusCode.Unavailable"/>: the server cannot be reached, did not answer within <see cref="RpcClientOptions.ConnectTimeout"/>, or does not speak this protocol.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<RpcClient> ConnectAsync(EndPoint endPoint, RpcClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        options ??= new RpcClientOptions();
        options.Validate();
        var settings = new RpcClientSettings(options);
        var subchannel = new RpcSubchannel(endPoint, settings);
        try
        {
            await subchannel.ConnectFirstAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await subchannel.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new RpcClient(subchannel, settings, endPoint);
    }

    /// <summary>Creates a proxy that implements <typeparamref name="TService"/> by calling through this client.</summary>
    /// <exception cref="InvalidOperationException">No proxy was generated for <typeparamref name="TService"/>.</exception>
    public TService CreateProxy<TService>() where TService : class => RpcProxyRegistry.Create<TService>(this);

    /// <inheritdoc />
    public RpcOutgoingCall StartCall(RpcMethodDescriptor method, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        // A plain call (no options in scope, no default timeout, no interceptors) carries no context at all.
        RpcCallOptions? callOptions = RpcCallOptions.Current;
        RpcClientCallContext? context = callOptions is null && !_settings.EveryCallNeedsContext
            ? null
            : _settings.CreateContext(method, callOptions, cancellationToken);
        return RpcOutgoingCall.Rent(_subchannel, _settings, method, cancellationToken, context);
    }

    /// <summary>The Ready connection, for tests that read its flow-control statistics.</summary>
    internal RpcClientConnection Connection => _subchannel.ReadyConnection ?? throw new InvalidOperationException("The client has no Ready connection.");

    /// <summary>The client's connection manager, for tests.</summary>
    internal RpcSubchannel Subchannel => _subchannel;

    /// <summary>
    /// Closes the client: no more reconnects; pending calls fail at once with <see cref="RpcStatusCode.Unavailable"/>,
    /// and so does every later call.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _subchannel.DisposeAsync().ConfigureAwait(false);
        _shutdown.TrySetResult();
    }
}
