using System;
using Microsoft.Extensions.Logging;

namespace Rpc.Hosting.Logging;

/// <summary>The <c>Rpc.Client</c> messages; the event ids are stable (docs/observability.md lists them).</summary>
internal static partial class RpcClientLog
{
    [LoggerMessage(EventId = 200, EventName = "Reconnecting", Level = LogLevel.Debug, Message = "Reconnecting to {Remote} (attempt {Attempt}).")]
    public static partial void Reconnecting(ILogger logger, string remote, int attempt);

    [LoggerMessage(EventId = 201, EventName = "ReconnectFailed", Message = "Connecting to {Remote} failed (attempt {Attempt}): {Reason} Retrying after a backoff delay.")]
    public static partial void ReconnectFailed(ILogger logger, LogLevel level, string remote, int attempt, string reason, Exception? exception);

    [LoggerMessage(EventId = 202, EventName = "DiscoveryFailed", Level = LogLevel.Warning, Message = "Watching the registry for {Service} failed; the known instances stay in use.")]
    public static partial void DiscoveryFailed(ILogger logger, string service, Exception exception);

    [LoggerMessage(EventId = 203, EventName = "FirstConnectFailed", Level = LogLevel.Warning, Message = "The typed clients of {Target} cannot connect yet; their calls fail with Unavailable until they can.")]
    public static partial void FirstConnectFailed(ILogger logger, string target, Exception exception);
}
