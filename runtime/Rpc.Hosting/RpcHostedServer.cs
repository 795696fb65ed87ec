using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rpc.Hosting.Logging;
using Rpc.Discovery;

namespace Rpc.Hosting;

/// <summary>
/// The <see cref="RpcServer"/> that <c>AddRpcServer</c> runs in the host: as the host starts, it creates the server
/// from <see cref="RpcHostedServerOptions"/>, adds the services registered with <see cref="RpcServerBuilder"/> and
/// listens on every endpoint; as the host stops (SIGTERM, Ctrl+C, <see cref="IHostApplicationLifetime.StopApplication"/>)
/// it stops accepting connections and lets the calls in flight finish. Resolve it to read the bound endpoints
/// (port 0 picks a free port) or the state that the health check reports.
/// </summary>
public sealed class RpcHostedServer : IHostedService, IAsyncDisposable
{
    private readonly IServiceProvider _services;
    private readonly IOptions<RpcHostedServerOptions> _options;
    private readonly IEnumerable<RpcServiceRegistration> _registrations;
    private readonly IHostApplicationLifetime? _lifetime;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly ILogger _log;
    private readonly object _lock = new();
    private RpcServer? _server;
    private IReadOnlyList<EndPoint> _endPoints = Array.Empty<EndPoint>();
    private CancellationTokenRegistration _onStopping;
    private volatile RpcHostedServerState _state;

    internal RpcHostedServer(IServiceProvider services, IOptions<RpcHostedServerOptions> options, IEnumerable<RpcServiceRegistration> registrations, IHostApplicationLifetime? lifetime, ILoggerFactory? loggerFactory = null)
    {
        _loggerFactory = loggerFactory;
        _log = loggerFactory?.CreateLogger(RpcLogCategories.Server) ?? NullLogger.Instance;
        _services = services;
        _options = options;
        _registrations = registrations;
        _lifetime = lifetime;
    }

    /// <summary>Where the server is in its life; <see cref="RpcHostedServerState.Listening"/> is the only healthy state.</summary>
    public RpcHostedServerState State => _state;

    /// <summary>The endpoints the server listens on, as bound (a TCP port 0 replaced by the port chosen); empty before start.</summary>
    public IReadOnlyList<EndPoint> EndPoints => _endPoints;

    /// <summary>The running server, from start until stop (null otherwise): services can be added to it directly.</summary>
    public RpcServer? Server => _server;

    /// <summary>Creates the server, adds the registered services and listens on every endpoint of the options.</summary>
    /// <exception cref="OptionsValidationException">An option is invalid; the message names its configuration key.</exception>
    /// <exception cref="InvalidOperationException">An endpoint cannot be listened on (in use, no permission), or a service cannot be added.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_state != RpcHostedServerState.NotStarted)
            {
                throw new InvalidOperationException($"The Rpc server was already started (it is {_state}); a stopped server is not started again.");
            }
        }
        // Validated already when the host used ValidateOnStart; reading Value validates again otherwise.
        RpcHostedServerOptions options = _options.Value;
        if (options.Server.Logger is null && _loggerFactory is not null)
        {
            // The host's logging, unless the application set its own sink.
            options.Server.Logger = new RpcLoggerBridge(_loggerFactory);
        }
        RpcServer server = CreateServer(options.Server);
        var bound = new List<EndPoint>(options.Endpoints.Count);
        try
        {
            foreach (RpcServiceRegistration registration in _registrations)
            {
                registration.AddTo(server, _services);
            }
            foreach (string text in options.Endpoints)
            {
                if (!RpcEndPointText.TryParse(text, out EndPoint? endPoint, out string? error))
                {
                    throw new OptionsValidationException(Options.DefaultName, typeof(RpcHostedServerOptions), [$"{RpcHostingConfiguration.ServerSection}:Endpoints: {error}."]);
                }
                try
                {
                    endPoint = await RpcEndPointText.ResolveAsync(endPoint, cancellationToken).ConfigureAwait(false);
                    bound.Add(await server.ListenAsync(endPoint, cancellationToken).ConfigureAwait(false));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    throw new InvalidOperationException($"The Rpc server cannot listen on \"{text}\": {ex.Message}", ex);
                }
            }
            await RegisterAsync(server, options.Registration, bound, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        lock (_lock)
        {
            _server = server;
            _endPoints = bound.AsReadOnly();
            _state = RpcHostedServerState.Listening;
        }
        RpcServerLog.Listening(_log, string.Join(", ", FormatAll(bound)));
        if (_lifetime is not null)
        {
            // Unhealthy from the moment the host starts stopping, even while hosted services registered after this
            // one are still stopping ahead of it.
            _onStopping = _lifetime.ApplicationStopping.Register(static state => ((RpcHostedServer)state!).MarkStopping(), this);
        }
    }

    /// <summary>
    /// Drains the server (<see cref="RpcServer.StopAsync"/>): stops accepting connections, sends every client a
    /// two-phase GoAway and lets the calls in flight finish until the host's shutdown token fires, then cancels what
    /// remains and closes the connections.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        RpcServer? server;
        lock (_lock)
        {
            server = _server;
            if (server is null)
            {
                return;
            }
            _server = null;
            _state = RpcHostedServerState.Stopping;
        }
        await _onStopping.DisposeAsync().ConfigureAwait(false);
        RpcServerLog.Draining(_log);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            // The drain ends with the host's shutdown token (HostOptions.ShutdownTimeout).
            await server.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _state = RpcHostedServerState.Stopped;
            RpcServerLog.Stopped(_log, (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>Stops the server if the host did not (a host disposed without being stopped).</summary>
    public async ValueTask DisposeAsync()
    {
        RpcServer? server;
        lock (_lock)
        {
            server = _server;
            _server = null;
            if (_state != RpcHostedServerState.NotStarted)
            {
                _state = RpcHostedServerState.Stopped;
            }
        }
        await _onStopping.DisposeAsync().ConfigureAwait(false);
        if (server is not null)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Registers the server in the registry from dependency injection when the options name a service; the server removes it first as it stops.</summary>
    private async Task RegisterAsync(RpcServer server, RpcHostedRegistrationOptions options, IReadOnlyList<EndPoint> bound, CancellationToken cancellationToken)
    {
        if (RpcHostedRegistration.CreateInstance(options, bound) is not { } instance)
        {
            return;
        }
        IRpcServiceRegistry registry = (IRpcServiceRegistry?)_services.GetService(typeof(IRpcServiceRegistry))
            ?? throw new InvalidOperationException($"{RpcHostingConfiguration.ServerSection}:Registration:ServiceName is set but no IRpcServiceRegistry is registered.");
        string address = RpcEndPointText.Format(instance.EndPoint);
        try
        {
            await server.RegisterAsync(registry, instance, cancellationToken).ConfigureAwait(false);
            RpcServerLog.Registered(_log, instance.ServiceName, address);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            RpcServerLog.RegistrationFailed(_log, instance.ServiceName, ex);
            throw new InvalidOperationException($"The Rpc server cannot register \"{instance.ServiceName}\" at {address}: {ex.Message}", ex);
        }
    }

    private static IEnumerable<string> FormatAll(IEnumerable<EndPoint> endPoints)
    {
        foreach (EndPoint endPoint in endPoints)
        {
            yield return RpcEndPointText.Format(endPoint);
        }
    }

    private void MarkStopping()
    {
        lock (_lock)
        {
            if (_state == RpcHostedServerState.Listening)
            {
                _state = RpcHostedServerState.Stopping;
            }
        }
    }

    private static RpcServer CreateServer(RpcServerOptions options)
    {
        try
        {
            return new RpcServer(options);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            // The server checks its own ranges; the message names the value as configuration spells it.
            throw new OptionsValidationException(Options.DefaultName, typeof(RpcHostedServerOptions),
                [$"{RpcHostingConfiguration.ServerSection}:{ex.ParamName} is out of range: {ex.Message}"]);
        }
    }
}
