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
    private readonly RpcConnectionSource _source;
    private readonly TaskCompletionSource _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RpcClient(RpcConnectionSource source, RpcClientSettings settings, EndPoint? remoteEndPoint, string? serviceName)
    {
        _source = source;
        _settings = settings;
        SerializerOptions = settings.SerializerOptions;
        RemoteEndPoint = remoteEndPoint;
        ServiceName = serviceName;
    }

    /// <inheritdoc />
    public RpcSerializerOptions SerializerOptions { get; }

    /// <summary>The endpoint this client connects to; null for a client of a service found through a registry.</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>The service this client balances over (<see cref="ConnectAsync(string, Discovery.IRpcServiceRegistry, RpcClientOptions?, CancellationToken)"/>); null for a client of one endpoint.</summary>
    public string? ServiceName { get; }

    /// <summary>
    /// The state of the client's connection: Ready, Connecting, TransientFailure (reconnecting after a failed
    /// attempt) or Shutdown. A balanced client is Ready while any instance is.
    /// </summary>
    public RpcConnectionState State => _source.State;

    /// <summary>True once the client was disposed; calls then fail with <see cref="RpcStatusCode.Unavailable"/>.</summary>
    public bool IsClosed => _source.State == RpcConnectionState.Shutdown;

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
        return new RpcClient(subchannel, settings, endPoint, null);
    }

    /// <summary>
    /// Creates a client of every instance of <paramref name="serviceName"/> that <paramref name="registry"/> lists:
    /// one connection per instance, each with its own state and reconnects, calls spread over the Ready ones by
    /// <see cref="RpcClientOptions.LoadBalancer"/>, the set kept current by the registry's watch. Completes once
    /// one instance is Ready.
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of its range, or the service name is empty.</exception>
    /// <exception cref="RpcException"><see cref="RpcStatusCode.Unavailable"/>: no instance became Ready within <see cref="RpcClientOptions.ConnectTimeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<RpcClient> ConnectAsync(string serviceName, Discovery.IRpcServiceRegistry registry, RpcClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        ArgumentNullException.ThrowIfNull(registry);
        options ??= new RpcClientOptions();
        options.Validate();
        var settings = new RpcClientSettings(options);
        var channel = new RpcBalancedChannel(serviceName, registry, settings);
        try
        {
            await channel.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await channel.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new RpcClient(channel, settings, null, serviceName);
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
        // Whether someone traces or measures is read once per call: a few field reads when nobody does.
        bool observed = Diagnostics.RpcTelemetry.ClientObserved;
        RpcClientCallContext? context = callOptions is null && !_settings.EveryCallNeedsContext && !observed
            ? null
            : _settings.CreateContext(method, callOptions, cancellationToken, observed);
        return RpcOutgoingCall.Rent(_source, _settings, method, cancellationToken, context);
    }

    /// <summary>The Ready connection, for tests that read its flow-control statistics.</summary>
    internal RpcClientConnection Connection => _source.Pick(null, null) ?? throw new InvalidOperationException("The client has no Ready connection.");

    /// <summary>The connection manager of a single-endpoint client, for tests.</summary>
    internal RpcSubchannel Subchannel => (RpcSubchannel)_source;

    /// <summary>Where calls find connections, for tests.</summary>
    internal RpcConnectionSource Source => _source;

    /// <summary>
    /// Closes the client: no more reconnects; pending calls fail at once with <see cref="RpcStatusCode.Unavailable"/>,
    /// and so does every later call.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _source.DisposeAsync().ConfigureAwait(false);
        _shutdown.TrySetResult();
    }
}
