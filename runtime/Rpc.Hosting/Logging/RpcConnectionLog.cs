using System;
using Microsoft.Extensions.Logging;

namespace Rpc.Hosting.Logging;

/// <summary>The <c>Rpc.Connection</c> messages; the event ids are stable (docs/observability.md lists them).</summary>
internal static partial class RpcConnectionLog
{
    [LoggerMessage(EventId = 1, EventName = "ConnectionOpened", Level = LogLevel.Debug, Message = "{Side} connection to {Remote} opened.")]
    public static partial void ConnectionOpened(ILogger logger, string side, string remote);

    [LoggerMessage(EventId = 2, EventName = "ConnectionClosed", Level = LogLevel.Debug, Message = "{Side} connection to {Remote} closed ({Status}): {Reason}")]
    public static partial void ConnectionClosed(ILogger logger, string side, string remote, RpcStatusCode status, string reason);

    [LoggerMessage(EventId = 3, EventName = "GoAwaySent", Level = LogLevel.Debug, Message = "{Side} sent GoAway to {Remote} ({Status}): {Reason}")]
    public static partial void GoAwaySent(ILogger logger, string side, string remote, RpcStatusCode status, string reason);

    [LoggerMessage(EventId = 4, EventName = "GoAwayReceived", Level = LogLevel.Information, Message = "{Side} received GoAway from {Remote}: {Reason}")]
    public static partial void GoAwayReceived(ILogger logger, string side, string remote, string reason);

    [LoggerMessage(EventId = 5, EventName = "KeepAliveTimeout", Level = LogLevel.Warning, Message = "{Side} connection to {Remote} closed: nothing arrived within the keepalive timeout after a ping.")]
    public static partial void KeepAliveTimeout(ILogger logger, string side, string remote);

    [LoggerMessage(EventId = 6, EventName = "ConnectionLimitReached", Level = LogLevel.Information, Message = "Server connection to {Remote} closed for its limit: {Limit}.")]
    public static partial void ConnectionLimitReached(ILogger logger, string remote, string limit);
}
