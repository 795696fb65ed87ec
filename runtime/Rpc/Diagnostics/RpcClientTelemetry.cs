using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace Rpc.Diagnostics;

/// <summary>
/// The client's span and measurements of one call, run as the outermost interceptor of the calls made while someone
/// listens (<see cref="RpcTelemetry.ClientObserved"/>): an Activity of kind Client named <c>Service/Method</c>,
/// the W3C trace context in the request headers, the call's duration and the calls in flight.
/// </summary>
internal sealed class RpcClientTelemetry : IRpcClientInterceptor
{
    public static readonly RpcClientTelemetry Instance = new();

    public async ValueTask InterceptAsync(RpcClientCallContext context, RpcClientContinuation next)
    {
        long started = Stopwatch.GetTimestamp();
        RpcMethodDescriptor method = context.Method;
        Activity? activity = RpcTelemetry.Source.HasListeners()
            ? RpcTelemetry.Source.StartActivity(method.FullName, ActivityKind.Client)
            : null;
        if (activity is not null)
        {
            activity.SetTag(RpcTelemetryNames.RpcSystemName, RpcTelemetryNames.RpcSystem);
            activity.SetTag(RpcTelemetryNames.RpcMethod, method.FullName);
        }
        // An unsampled span of ours, or a caller's span with no listener here: the server still joins the trace.
        if ((activity ?? Activity.Current) is { } propagated)
        {
            RpcTraceContext.Inject(propagated, context.RequestHeaders);
        }
        bool counted = RpcTelemetry.ClientActiveCalls.Enabled;
        if (counted)
        {
            RpcTelemetry.ClientActiveCalls.Add(1, new KeyValuePair<string, object?>(RpcTelemetryNames.RpcMethod, method.FullName));
        }
        RpcStatusCode status = RpcStatusCode.OK;
        string? errorType = null;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            (status, errorType) = Classify(ex);
            throw;
        }
        finally
        {
            string statusName = RpcTelemetryNames.StatusName(status);
            (string? address, int? port) = ServerOf(context);
            if (activity is not null)
            {
                activity.SetTag(RpcTelemetryNames.RpcResponseStatusCode, statusName);
                if (address is not null)
                {
                    activity.SetTag(RpcTelemetryNames.ServerAddress, address);
                }
                if (port is not null)
                {
                    activity.SetTag(RpcTelemetryNames.ServerPort, port.Value);
                }
                if (errorType is not null)
                {
                    activity.SetTag(RpcTelemetryNames.ErrorType, errorType);
                    activity.SetStatus(ActivityStatusCode.Error, statusName);
                }
                activity.Dispose();
            }
            if (counted)
            {
                RpcTelemetry.ClientActiveCalls.Add(-1, new KeyValuePair<string, object?>(RpcTelemetryNames.RpcMethod, method.FullName));
            }
            if (RpcTelemetry.ClientDuration.Enabled)
            {
                var tags = new TagList
                {
                    { RpcTelemetryNames.RpcSystemName, RpcTelemetryNames.RpcSystem },
                    { RpcTelemetryNames.RpcMethod, method.FullName },
                    { RpcTelemetryNames.RpcResponseStatusCode, statusName },
                };
                if (address is not null)
                {
                    tags.Add(RpcTelemetryNames.ServerAddress, address);
                }
                if (port is not null)
                {
                    tags.Add(RpcTelemetryNames.ServerPort, port.Value);
                }
                if (errorType is not null)
                {
                    tags.Add(RpcTelemetryNames.ErrorType, errorType);
                }
                RpcTelemetry.ClientDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
            }
        }
    }

    /// <summary>The status a failure gives the call, and its <c>error.type</c>: the status name, or the exception's type for a failure with no status.</summary>
    internal static (RpcStatusCode Status, string ErrorType) Classify(Exception exception) => exception switch
    {
        RpcException rpc => (rpc.StatusCode, RpcTelemetryNames.StatusName(rpc.StatusCode)),
        OperationCanceledException => (RpcStatusCode.Cancelled, RpcTelemetryNames.StatusName(RpcStatusCode.Cancelled)),
        _ => (RpcStatusCode.Unknown, exception.GetType().FullName ?? exception.GetType().Name),
    };

    private static (string? Address, int? Port) ServerOf(RpcClientCallContext context) => context.Connection?.RemoteEndPoint switch
    {
        DnsEndPoint dns => (dns.Host, dns.Port),
        IPEndPoint ip => (ip.Address.ToString(), ip.Port),
        UnixDomainSocketEndPoint unix => (unix.ToString(), null),
        EndPoint other => (other.ToString(), null),
        null => (null, null),
    };
}
