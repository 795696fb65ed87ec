using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Threading.Tasks;

namespace Rpc.Diagnostics;

/// <summary>
/// The server's span and measurements of one call, run as the outermost interceptor of the calls received while
/// someone listens (<see cref="RpcTelemetry.ServerObserved"/>): an Activity of kind Server named
/// <c>Service/Method</c>, the child of the client's span when the request carries a W3C <c>traceparent</c>, the
/// call's duration and the calls in flight.
/// </summary>
internal sealed class RpcServerTelemetry : IRpcServerInterceptor
{
    public static readonly RpcServerTelemetry Instance = new();

    public async ValueTask InterceptAsync(RpcContext context, RpcServerContinuation next)
    {
        long started = Stopwatch.GetTimestamp();
        RpcMethodDescriptor method = context.Method;
        Activity? activity = null;
        if (RpcTelemetry.Source.HasListeners())
        {
            RpcMetadata? headers = context.RequestHeadersIfAny;
            activity = RpcTelemetry.Source.StartActivity(method.FullName, ActivityKind.Server, RpcTraceContext.ExtractParent(headers));
            if (activity is not null)
            {
                RpcTraceContext.ExtractBaggage(headers, activity);
                activity.SetTag(RpcTelemetryNames.RpcSystemName, RpcTelemetryNames.RpcSystem);
                activity.SetTag(RpcTelemetryNames.RpcMethod, method.FullName);
                if (context.Peer is IPEndPoint peer)
                {
                    activity.SetTag(RpcTelemetryNames.NetworkPeerAddress, peer.Address.ToString());
                }
            }
        }
        bool counted = RpcTelemetry.ServerActiveCalls.Enabled;
        if (counted)
        {
            RpcTelemetry.ServerActiveCalls.Add(1, new KeyValuePair<string, object?>(RpcTelemetryNames.RpcMethod, method.FullName));
        }
        RpcStatusCode status = RpcStatusCode.OK;
        string? errorType = null;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            (status, errorType) = ex is OperationCanceledException && context.Deadline is { } deadline && deadline <= DateTimeOffset.UtcNow
                ? (RpcStatusCode.DeadlineExceeded, RpcTelemetryNames.StatusName(RpcStatusCode.DeadlineExceeded))
                : RpcClientTelemetry.Classify(ex);
            throw;
        }
        finally
        {
            string statusName = RpcTelemetryNames.StatusName(status);
            if (activity is not null)
            {
                activity.SetTag(RpcTelemetryNames.RpcResponseStatusCode, statusName);
                if (errorType is not null)
                {
                    activity.SetTag(RpcTelemetryNames.ErrorType, errorType);
                    activity.SetStatus(ActivityStatusCode.Error, statusName);
                }
                activity.Dispose();
            }
            if (counted)
            {
                RpcTelemetry.ServerActiveCalls.Add(-1, new KeyValuePair<string, object?>(RpcTelemetryNames.RpcMethod, method.FullName));
            }
            if (RpcTelemetry.ServerDuration.Enabled)
            {
                var tags = new TagList
                {
                    { RpcTelemetryNames.RpcSystemName, RpcTelemetryNames.RpcSystem },
                    { RpcTelemetryNames.RpcMethod, method.FullName },
                    { RpcTelemetryNames.RpcResponseStatusCode, statusName },
                };
                if (errorType is not null)
                {
                    tags.Add(RpcTelemetryNames.ErrorType, errorType);
                }
                RpcTelemetry.ServerDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
            }
        }
    }
}
