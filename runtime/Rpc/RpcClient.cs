using System;
using System.IO.Pipelines;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Client;
using Rpc.Protocol;
using Rpc.Serialization;
using Rpc.Transport;

namespace Rpc;

/// <summary>
/// A connection to an <see cref="RpcServer"/>, carrying any number of concurrent calls. Create proxies with
/// <see cref="CreateProxy{TService}"/>. Once the connection drops, every pending and later call fails with
/// <see cref="RpcStatusCode.Unavailable"/>; connect again for a new one.
/// </summary>
public sealed class RpcClient : IAsyncDisposable, IRpcCallInvoker
{
    private readonly RpcClientConnection _connection;

    private RpcClient(RpcClientConnection connection, RpcClientOptions options, EndPoint remoteEndPoint)
    {
        _connection = connection;
        SerializerOptions = options.SerializerOptions;
        RemoteEndPoint = remoteEndPoint;
    }

    /// <inheritdoc />
    public RpcSerializerOptions SerializerOptions { get; }

    /// <summary>The endpoint this client connected to.</summary>
    public EndPoint RemoteEndPoint { get; }

    /// <summary>True once the connection has closed or started closing; calls then fail with <see cref="RpcStatusCode.Unavailable"/>.</summary>
    public bool IsClosed => _connection.IsClosing;

    /// <summary>Completes when the connection has closed, for whatever reason.</summary>
    public Task Completion => _connection.Completion;

    /// <summary>
    /// Connects to a server listening on <paramref name="endPoint"/> (<see cref="IPEndPoint"/>,
    /// <see cref="System.Net.Sockets.UnixDomainSocketEndPoint"/> or <see cref="InMemoryEndPoint"/>) and exchanges
    /// prefaces.
    /// </summary>
    /// <exception cref="RpcException"><see cref="RpcStatusCode.Unavailable"/>: the server cannot be reached, did not answer within <see cref="RpcClientOptions.ConnectTimeout"/>, or does not speak this protocol.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<RpcClient> ConnectAsync(EndPoint endPoint, RpcClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        options ??= new RpcClientOptions();
        RpcFlowControl.Validate(options.StreamWindowSize, nameof(RpcClientOptions.StreamWindowSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxMetadataSize, nameof(RpcClientOptions.MaxMetadataSize));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);

        RpcTransportConnection transport;
        try
        {
            transport = await RpcTransport.ConnectAsync(endPoint, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not ArgumentException)
        {
            throw Unavailable(endPoint, ex is OperationCanceledException ? "timed out" : ex.Message, ex);
        }

        try
        {
            RpcPreface.Write(transport.Output);
            FlushResult flushed = await transport.Output.FlushAsync(timeout.Token).ConfigureAwait(false);
            if (flushed.IsCompleted || !await RpcPreface.ReadAsync(transport.Input, timeout.Token).ConfigureAwait(false))
            {
                throw Unavailable(endPoint, "the server did not answer with an Rpc version 1 preface", null);
            }
        }
        catch (Exception ex)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            if (ex is RpcException || (ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                throw;
            }
            throw Unavailable(endPoint, ex is OperationCanceledException ? "timed out waiting for the server's preface" : ex.Message, ex);
        }

        var connection = new RpcClientConnection(transport, transport, options);
        connection.Start();
        return new RpcClient(connection, options, endPoint);
    }

    private static RpcException Unavailable(EndPoint endPoint, string why, Exception? inner) =>
        new(RpcStatusCode.Unavailable, $"Could not connect to {endPoint}: {why}.", inner);

    /// <summary>Creates a proxy that implements <typeparamref name="TService"/> by calling through this client.</summary>
    /// <exception cref="InvalidOperationException">No proxy was generated for <typeparamref name="TService"/>.</exception>
    public TService CreateProxy<TService>() where TService : class => RpcProxyRegistry.Create<TService>(this);

    /// <inheritdoc />
    public RpcOutgoingCall StartCall(RpcMethodDescriptor method, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        // A plain call (no options in scope, no default timeout, no interceptors) carries no context at all.
        RpcCallOptions? callOptions = RpcCallOptions.Current;
        RpcClientCallContext? context = callOptions is null && !_connection.EveryCallNeedsContext
            ? null
            : _connection.CreateContext(method, callOptions, cancellationToken);
        return RpcOutgoingCall.Rent(_connection, method, SerializerOptions, cancellationToken, context);
    }

    /// <summary>The connection, for tests that read its flow-control statistics.</summary>
    internal RpcClientConnection Connection => _connection;

    /// <summary>Closes the connection. Pending calls fail at once with <see cref="RpcStatusCode.Unavailable"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        var reason = new RpcException(RpcStatusCode.Unavailable, "The client was disposed.");
        if (!_connection.IsClosing)
        {
            // Tell the server, then close: GoAway is the last frame it gets from us.
            _connection.TryEnqueue(RpcControlFrames.CreateGoAway(SerializerOptions, 0, RpcStatusCode.OK, "The client is closing."));
            _connection.CloseAfterWrites(reason);
        }
        try
        {
            await _connection.Completion.WaitAsync(RpcConnection.CloseTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _connection.Abort(reason);
            await _connection.Completion.ConfigureAwait(false);
        }
    }
}
