using System;
using System.Collections.Generic;
using System.IO.Pipelines;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Protocol;
using Rpc.Serialization;

namespace Rpc.Server;

/// <summary>
/// The server's side of a connection: turns each Request into a call run with its read's batch, routes Cancel,
/// stream and flow-control frames to their call, and on shutdown announces GoAway and waits for the calls in flight.
/// </summary>
internal sealed class RpcServerConnection : RpcConnection
{
    private readonly IRpcMethodTable _methods;
    // The sender's lock: a call leaves the active table and its final frame enters the send queue in one step.
    private readonly RpcSpinLock _lock;
    private readonly RpcCallTable<RpcServerCall> _active = new();
    private readonly Action<RpcMethodDescriptor, Exception>? _onOneWayError;
    private readonly bool _everyCallNeedsContext;
    private readonly int _maxConcurrentCalls;
    private uint _lastCallId;
    // Set by the second GoAway of a drain (or a close): calls after _lastCallId are refused from then on.
    private bool _draining;
    private TaskCompletionSource? _idle;
    // Phase one of a drain was announced ("no new calls" and a Ping); 1 once phase two has been sent.
    private int _drainAnnounced;
    private int _drainCompleted;

    // Ping flood protection, and the idle and age limits, on Environment.TickCount64's clock.
    private readonly long _minPingIntervalMs;
    private long _lastPingTick;
    private int _pingStrikes;
    private readonly long _maxIdleMs;
    private readonly long _closeAtTick;
    private long _idleSinceTick;
    private uint _callsStartedAtLastTick;
    private uint _callsStarted;

    public RpcServerConnection(IDuplexPipe pipe, IAsyncDisposable transport, EndPoint? peer, RpcServerOptions options, RpcServerInterceptorPipeline? interceptors, IRpcMethodTable methods)
        : base(pipe, transport, options.MaxFrameSize, options.SerializerOptions)
    {
        _lock = Sender.SyncRoot;
        _methods = methods;
        Peer = peer;
        Interceptors = interceptors;
        IncludeExceptionDetails = options.IncludeExceptionDetails;
        StreamWindowSize = options.StreamWindowSize;
        MaxMetadataSize = options.MaxMetadataSize;
        _onOneWayError = options.OnOneWayError;
        _everyCallNeedsContext = interceptors is not null || options.AlwaysCreateContext;
        _maxConcurrentCalls = options.MaxConcurrentCallsPerConnection;
        MaxQueuedSendBytes = options.MaxQueuedSendBytesPerConnection;
        KeepAlive = new RpcKeepAliveSettings(options.KeepAliveInterval, options.KeepAliveTimeout);
        _minPingIntervalMs = (long)options.MinClientPingInterval.TotalMilliseconds;
        long now = Environment.TickCount64;
        _maxIdleMs = options.MaxConnectionIdle is { } idle && idle != Timeout.InfiniteTimeSpan ? (long)idle.TotalMilliseconds : 0;
        _idleSinceTick = now;
        if (options.MaxConnectionAge is { } age && age != Timeout.InfiniteTimeSpan)
        {
            // +-10% so that the connections made together (a deploy, a restart) do not all drain together.
            _closeAtTick = now + (long)(age.TotalMilliseconds * (0.9 + 0.2 * Random.Shared.NextDouble()));
        }
    }

    /// <summary>The chain of observed calls (<see cref="RpcContext.Observed"/>): the telemetry interceptor, then the server's.</summary>
    public RpcServerInterceptorPipeline? ObservedInterceptors { get; set; }

    /// <summary>Raised when a ping flood, the idle limit or the age limit closes the connection; for the server's logs.</summary>
    public Action<RpcServerConnection, string>? ClosingForLimit { get; set; }

    public bool IncludeExceptionDetails { get; }

    public EndPoint? Peer { get; }

    /// <summary>The certificate an mTLS client presented; null without TLS or without one.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? PeerCertificate { get; init; }

    public RpcServerInterceptorPipeline? Interceptors { get; }

    public int StreamWindowSize { get; }

    public int MaxMetadataSize { get; }

    /// <summary>The calls running on this connection (for tests).</summary>
    internal int ActiveCalls
    {
        get
        {
            using (_lock.EnterScope())
            {
                return _active.Count;
            }
        }
    }

    protected override int MaxQueuedSendBytes { get; }

    protected override uint LastAcceptedCallId
    {
        get
        {
            using (_lock.EnterScope())
            {
                return _lastCallId;
            }
        }
    }

    protected override void OnFrame(in RpcFrameHeader header, ReadOnlySpan<byte> payload)
    {
        switch (header.Type)
        {
            case RpcFrameType.Request:
                OnRequest(header, payload);
                break;
            case RpcFrameType.Cancel:
                using (_lock.EnterScope())
                {
                    if (_active.Find(header.CallId) is { } call)
                    {
                        call.Cancel(byClient: true);
                    }
                }
                break;
            case RpcFrameType.StreamItem:
                if ((header.Flags & RpcFrameFlags.EndOfStream) != 0)
                {
                    throw new RpcProtocolException(RpcStatusCode.Internal, "A StreamItem must not carry the EndOfStream flag; a stream ends with StreamEnd.");
                }
                // A call that finished meanwhile (the handler returned before reading everything) drops the item.
                if (FindCall(header.CallId, out RpcStreamReceiver? requests, out _))
                {
                    (requests ?? throw NoRequestStream(header)).Add(payload);
                }
                break;
            case RpcFrameType.StreamEnd:
                if ((header.Flags & RpcFrameFlags.EndOfStream) == 0)
                {
                    throw new RpcProtocolException(RpcStatusCode.Internal, "A StreamEnd frame must carry the EndOfStream flag.");
                }
                if (FindCall(header.CallId, out requests, out _))
                {
                    (requests ?? throw NoRequestStream(header)).Complete(null);
                }
                break;
            case RpcFrameType.WindowUpdate:
                uint increment = RpcControlFrames.ReadWindowUpdate(payload);
                if (header.CallId != 0
                    && FindCall(header.CallId, out _, out RpcStreamSender? responses)
                    && responses is not null
                    && !responses.TryAddCredit(increment))
                {
                    throw new RpcProtocolException(RpcStatusCode.Internal, $"The client granted more than {RpcFlowControl.MaxCredit} bytes of credit to call {header.CallId}.");
                }
                break;
            case RpcFrameType.Ping:
                OnPing(payload);
                break;
            case RpcFrameType.Pong:
                if (payload.SequenceEqual(RpcControlFrames.DrainPing))
                {
                    // Every request the client sent before it saw our first GoAway has arrived: phase two.
                    CompleteDrain();
                }
                break;
            case RpcFrameType.GoAway:
                // A client's GoAway only says it is closing; its calls are cancelled when the connection ends.
                Diagnostics.RpcLog.GoAwayReceived(Logger, Side, Remote, "The client is closing.");
                break;
            case RpcFrameType.Response or RpcFrameType.Error or RpcFrameType.Headers:
                throw new RpcProtocolException(RpcStatusCode.Internal, $"A client must not send {header.Type} frames.");
            default:
                throw new RpcProtocolException(RpcStatusCode.Internal, $"Frame type {(byte)header.Type} is not supported by this version.");
        }
    }

    private static RpcProtocolException NoRequestStream(in RpcFrameHeader header) =>
        new(RpcStatusCode.Internal, $"Call {header.CallId} takes no request stream, but the client sent a {header.Type}.");

    /// <summary>The stream state of an active call; false when the call is not (or no longer) active.</summary>
    private bool FindCall(uint callId, out RpcStreamReceiver? requests, out RpcStreamSender? responses)
    {
        using (_lock.EnterScope())
        {
            // The stream objects are not pooled: they can be used outside the lock even if the call finishes now.
            if (_active.Find(callId) is { } call)
            {
                requests = call.RequestStream;
                responses = call.ResponseWindow;
                return true;
            }
        }
        requests = null;
        responses = null;
        return false;
    }

    private void OnRequest(in RpcFrameHeader header, ReadOnlySpan<byte> payload)
    {
        bool oneWay = (header.Flags & RpcFrameFlags.OneWay) != 0;
        if (header.CallId == 0)
        {
            throw new RpcProtocolException(RpcStatusCode.Internal, "A request must not use call id 0.");
        }
        if (!_methods.TryGetMethod(header.MethodId, out RpcServerMethod? method))
        {
            if (!oneWay)
            {
                SendError(header, RpcStatusCode.Unimplemented, $"Method {header.MethodId} is not implemented by this server.");
            }
            return;
        }
        bool streaming = method.ReceivesStream || method.SendsStream;
        // A streaming call is always answered: it has a stream to end.
        oneWay = !streaming && (oneWay || method.Descriptor.Kind == RpcMethodKind.OneWay);

        TimeSpan? timeout = null;
        RpcMetadata? requestHeaders = null;
        bool hasPrefix = (header.Flags & (RpcFrameFlags.HasDeadline | RpcFrameFlags.HasMetadata)) != 0;
        if (hasPrefix)
        {
            try
            {
                payload = RpcRequestPrefix.Read(header.Flags, payload, SerializerOptions, MaxMetadataSize, out timeout, out requestHeaders);
            }
            catch (Exception ex) when (ex is RpcSerializationException or RpcException)
            {
                RpcStatusCode status = ex is RpcException rpc ? rpc.StatusCode : RpcStatusCode.InvalidArgument;
                RejectRequest(header, method, oneWay, status, $"The request headers of {method.Descriptor} could not be read: {ex.Message}", ex);
                return;
            }
            if (timeout is { } left && left <= TimeSpan.Zero)
            {
                RejectRequest(header, method, oneWay, RpcStatusCode.DeadlineExceeded, "The deadline passed before the call started.", null);
                return;
            }
        }

        RpcServerCall call = RpcServerCall.Rent(this, method, header.CallId, oneWay, payload);
        // Read once per call: a few field reads when nobody traces or measures.
        bool observed = Diagnostics.RpcTelemetry.ServerObserved && ObservedInterceptors is not null;
        if (hasPrefix || streaming || _everyCallNeedsContext || observed)
        {
            DateTimeOffset? deadline = timeout is { } value && value < DateTimeOffset.MaxValue - DateTimeOffset.UtcNow ? DateTimeOffset.UtcNow + value : null;
            call.AttachContext(new RpcContext(call, method.Descriptor, Peer, deadline, requestHeaders) { PeerCertificate = PeerCertificate, Observed = observed });
        }
        RpcStreamReceiver? requests = null;
        if (streaming)
        {
            requests = method.ReceivesStream ? new RpcStreamReceiver(this, StreamWindowSize) { CallId = header.CallId } : null;
            call.AttachStreams(requests, method.SendsStream ? new RpcStreamSender(FlowStatistics) : null);
        }

        bool accepted = false;
        bool duplicate = false;
        bool overLimit = false;
        using (_lock.EnterScope())
        {
            if (!_draining)
            {
                // A reused id is a protocol error whether or not the connection is at its limit.
                overLimit = _active.Count >= _maxConcurrentCalls && _active.Find(header.CallId) is null;
                if (!overLimit)
                {
                    accepted = _active.TryAdd(header.CallId, call);
                    duplicate = !accepted;
                    _callsStarted++;
                    if (accepted && header.CallId > _lastCallId)
                    {
                        _lastCallId = header.CallId;
                    }
                }
            }
        }
        if (!accepted)
        {
            call.Discard();
            if (duplicate)
            {
                throw new RpcProtocolException(RpcStatusCode.Internal, $"Call id {header.CallId} is already in use.");
            }
            if (overLimit)
            {
                RejectRequest(header, method, oneWay, RpcStatusCode.ResourceExhausted,
                    $"The connection already has {_maxConcurrentCalls} calls running, the server's MaxConcurrentCallsPerConnection; {method.Descriptor} was not started.", null);
            }
            else if (!oneWay)
            {
                SendError(header, RpcStatusCode.Unavailable, "The server is shutting down.");
            }
            return;
        }
        if (timeout is { } due)
        {
            call.ArmDeadline(due);
        }
        if (requests is not null && StreamWindowSize > RpcFlowControl.InitialWindow)
        {
            TryEnqueue(RpcControlFrames.CreateWindowUpdate(header.CallId, (uint)(StreamWindowSize - RpcFlowControl.InitialWindow)));
        }
        // Runs with the rest of this read's batch, never on the read loop itself.
        Defer(call);
    }

    private void RejectRequest(in RpcFrameHeader header, RpcServerMethod method, bool oneWay, RpcStatusCode status, string message, Exception? exception)
    {
        if (oneWay)
        {
            ReportOneWayError(method.Descriptor, exception ?? new RpcException(status, message));
        }
        else
        {
            SendError(header, status, message);
        }
    }

    private void SendError(in RpcFrameHeader header, RpcStatusCode status, string message) =>
        TryEnqueue(RpcControlFrames.CreateError(new RpcFrameBuffer(), SerializerOptions, header.CallId, header.MethodId, status, message, null));

    /// <summary>A one-way call failed: nobody is told but the server's hook.</summary>
    public void ReportOneWayError(RpcMethodDescriptor method, Exception exception)
    {
        Diagnostics.RpcLog.OneWayFailed(Logger, method, exception);
        try
        {
            _onOneWayError?.Invoke(method, exception);
        }
        catch (Exception)
        {
            // The hook must not throw; if it does, there is nowhere left to report to.
        }
    }

    /// <summary>
    /// Called by a call as it finishes: queues its final frame (if it sends one, sealed in
    /// <paramref name="sealedFrame"/>, which is left empty) and takes it out of the active table.
    /// </summary>
    public void OnCallFinished(RpcServerCall call, RpcFrameBuffer? sealedFrame)
    {
        TaskCompletionSource? idle = null;
        bool mustSend = false;
        using (_lock.EnterScope())
        {
            if (sealedFrame is not null)
            {
                Sender.TryEnqueueLocked(sealedFrame, deferSend: false, out mustSend);
            }
            _active.Remove(call.CallId);
            if (_active.Count == 0 && _draining)
            {
                idle = _idle;
            }
        }
        if (mustSend)
        {
            Sender.Send();
        }
        idle?.TrySetResult();
    }

    /// <summary>
    /// Drains the connection in two phases, as HTTP/2 servers do: a GoAway that says "no new calls" (last id
    /// <see cref="RpcControlFrames.NoNewCalls"/>) and a Ping; requests keep being accepted until the Pong proves the
    /// client has seen the GoAway (or a second has passed), then a second GoAway names the last call accepted and
    /// later requests are refused. No call the client sent in the race is lost. Completes when the calls accepted
    /// have finished; the caller then closes the connection.
    /// </summary>
    public Task BeginShutdown()
    {
        Task idle;
        using (_lock.EnterScope())
        {
            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            idle = _idle.Task;
        }
        if (Interlocked.Exchange(ref _drainAnnounced, 1) == 0)
        {
            Diagnostics.RpcLog.GoAwaySent(Logger, Side, Remote, RpcStatusCode.Unavailable, "The server is draining: send new calls elsewhere.");
            TryEnqueue(RpcControlFrames.CreateGoAway(SerializerOptions, RpcControlFrames.NoNewCalls, RpcStatusCode.Unavailable, "The server is draining: send new calls elsewhere."));
            if (!TryEnqueue(RpcControlFrames.CreatePingOrPong(RpcFrameType.Ping, RpcControlFrames.DrainPing)))
            {
                CompleteDrain();
            }
            else
            {
                _ = CompleteDrainLaterAsync();
            }
        }
        return idle;
    }

    // A client that never answers the drain Ping must not hold phase two back.
    private async Task CompleteDrainLaterAsync()
    {
        await Task.Delay(DrainPingTimeout).ConfigureAwait(false);
        CompleteDrain();
    }

    /// <summary>How long phase one of a drain waits for the client's Pong.</summary>
    internal static TimeSpan DrainPingTimeout { get; } = TimeSpan.FromSeconds(1);

    private void CompleteDrain()
    {
        if (Volatile.Read(ref _drainAnnounced) == 0 || Interlocked.Exchange(ref _drainCompleted, 1) != 0)
        {
            return;
        }
        uint lastCallId;
        TaskCompletionSource? idle = null;
        using (_lock.EnterScope())
        {
            _draining = true;
            lastCallId = _lastCallId;
            if (_active.Count == 0)
            {
                idle = _idle;
            }
        }
        TryEnqueue(RpcControlFrames.CreateGoAway(SerializerOptions, lastCallId, RpcStatusCode.Unavailable, "The server is shutting down."));
        idle?.TrySetResult();
    }

    private void OnPing(ReadOnlySpan<byte> payload)
    {
        long now = Environment.TickCount64;
        long previous = _lastPingTick;
        _lastPingTick = now;
        if (previous != 0 && now - previous < _minPingIntervalMs && ++_pingStrikes > MaxPingStrikes)
        {
            string why = $"too many pings (more often than every {_minPingIntervalMs} ms)";
            ClosingForLimit?.Invoke(this, why);
            throw new RpcProtocolException(RpcStatusCode.ResourceExhausted, "The client sent " + why + ".");
        }
        TryEnqueue(RpcControlFrames.CreatePingOrPong(RpcFrameType.Pong, payload));
    }

    /// <summary>Pings sooner than the minimum interval that are forgiven; the next one closes the connection.</summary>
    internal const int MaxPingStrikes = 2;

    protected override void OnTick(long now)
    {
        if (IsClosing || Volatile.Read(ref _drainAnnounced) != 0)
        {
            return;
        }
        if (_closeAtTick != 0 && now >= _closeAtTick)
        {
            ClosingForLimit?.Invoke(this, "MaxConnectionAge");
            _ = DrainAndCloseAsync("The connection reached the server's MaxConnectionAge.");
            return;
        }
        if (_maxIdleMs != 0)
        {
            // Racy reads: a call that starts now is seen on the next tick, and a drain accepts it anyway.
            uint started = Volatile.Read(ref _callsStarted);
            if (started != _callsStartedAtLastTick || _active.Count != 0)
            {
                _callsStartedAtLastTick = started;
                _idleSinceTick = now;
            }
            else if (now - _idleSinceTick >= _maxIdleMs)
            {
                ClosingForLimit?.Invoke(this, "MaxConnectionIdle");
                _ = DrainAndCloseAsync("The connection was idle for the server's MaxConnectionIdle.");
            }
        }
    }

    private async Task DrainAndCloseAsync(string why)
    {
        await BeginShutdown().ConfigureAwait(false);
        CloseAfterWrites(new RpcException(RpcStatusCode.Unavailable, why));
    }

    /// <summary>Cancels the tokens of every call still running.</summary>
    public void CancelActiveCalls()
    {
        using (_lock.EnterScope())
        {
            foreach (KeyValuePair<uint, RpcServerCall> entry in _active.ToList())
            {
                entry.Value.Cancel(byClient: false);
            }
        }
    }

    protected override void OnClosing(RpcException reason)
    {
        // Nobody can receive the results any more: let the handlers stop early.
        TaskCompletionSource? idle;
        using (_lock.EnterScope())
        {
            _draining = true;
            idle = _idle;
        }
        CancelActiveCalls();
        idle?.TrySetResult();
    }
}

/// <summary>How a connection finds the method a request names.</summary>
internal interface IRpcMethodTable
{
    bool TryGetMethod(uint methodId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RpcServerMethod? method);
}
