using System;
using Microsoft.Extensions.Logging;

namespace Rpc.Hosting.Logging;

/// <summary>The <c>Rpc.Server</c> messages; the event ids are stable (docs/observability.md lists them).</summary>
internal static partial class RpcServerLog
{
    [LoggerMessage(EventId = 100, EventName = "HandlerFailed", Message = "{Method} threw; the client got Unknown.")]
    public static partial void HandlerFailed(ILogger logger, LogLevel level, string method, Exception exception);

    [LoggerMessage(EventId = 101, EventName = "OneWayFailed", Message = "One-way call {Method} failed.")]
    public static partial void OneWayFailed(ILogger logger, LogLevel level, string method, Exception exception);

    [LoggerMessage(EventId = 102, EventName = "AcceptFailed", Level = LogLevel.Error, Message = "The listener on {Listener} broke and accepts no more connections.")]
    public static partial void AcceptFailed(ILogger logger, string listener, Exception exception);

    [LoggerMessage(EventId = 103, EventName = "RegistrationFailed", Level = LogLevel.Warning, Message = "A registration of {Service} in the service registry failed.")]
    public static partial void RegistrationFailed(ILogger logger, string service, Exception exception);

    [LoggerMessage(EventId = 110, EventName = "ServerListening", Level = LogLevel.Information, Message = "Rpc server listening on {Endpoints}.")]
    public static partial void Listening(ILogger logger, string endpoints);

    [LoggerMessage(EventId = 111, EventName = "ServerRegistered", Level = LogLevel.Information, Message = "Rpc server registered as {Service} at {Address}.")]
    public static partial void Registered(ILogger logger, string service, string address);

    [LoggerMessage(EventId = 112, EventName = "ServerDraining", Level = LogLevel.Information, Message = "Rpc server draining: no new connections, calls in flight finish.")]
    public static partial void Draining(ILogger logger);

    [LoggerMessage(EventId = 113, EventName = "ServerStopped", Level = LogLevel.Information, Message = "Rpc server stopped after {ElapsedMilliseconds} ms of drain.")]
    public static partial void Stopped(ILogger logger, long elapsedMilliseconds);
}
