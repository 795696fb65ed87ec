using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;

namespace Rpc.Diagnostics;

/// <summary>
/// W3C Trace Context and Baggage in request metadata: the client writes <c>traceparent</c>, <c>tracestate</c> and
/// <c>baggage</c> from its Activity; the server reads them to make its Activity the child of the client's.
/// </summary>
internal static class RpcTraceContext
{
    public static void Inject(Activity activity, RpcMetadata headers)
    {
        if (activity.IdFormat != ActivityIdFormat.W3C)
        {
            return;
        }
        headers.Add(RpcTelemetryNames.TraceParentHeader, activity.Id!);
        if (activity.TraceStateString is { Length: > 0 } state)
        {
            headers.Add(RpcTelemetryNames.TraceStateHeader, state);
        }
        StringBuilder? baggage = null;
        foreach (KeyValuePair<string, string?> item in activity.Baggage)
        {
            baggage = baggage is null ? new StringBuilder() : baggage.Append(',');
            baggage.Append(Uri.EscapeDataString(item.Key)).Append('=').Append(Uri.EscapeDataString(item.Value ?? string.Empty));
        }
        if (baggage is not null)
        {
            headers.Add(RpcTelemetryNames.BaggageHeader, baggage.ToString());
        }
    }

    /// <summary>The remote parent the client sent; default when it sent none (or an unreadable one).</summary>
    public static ActivityContext ExtractParent(RpcMetadata? headers)
    {
        if (headers?.GetString(RpcTelemetryNames.TraceParentHeader) is not { } parent)
        {
            return default;
        }
        return ActivityContext.TryParse(parent, headers.GetString(RpcTelemetryNames.TraceStateHeader), isRemote: true, out ActivityContext context)
            ? context
            : default;
    }

    /// <summary>Adds the client's baggage to <paramref name="activity"/>.</summary>
    public static void ExtractBaggage(RpcMetadata? headers, Activity activity)
    {
        if (headers?.GetString(RpcTelemetryNames.BaggageHeader) is not { Length: > 0 } baggage)
        {
            return;
        }
        // Added in reverse so that Activity.Baggage (last added first) lists them in the order sent.
        string[] items = baggage.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (int i = items.Length - 1; i >= 0; i--)
        {
            string item = items[i];
            int semicolon = item.IndexOf(';');
            if (semicolon >= 0)
            {
                item = item.Substring(0, semicolon);   // properties are not kept
            }
            int equals = item.IndexOf('=');
            if (equals > 0)
            {
                activity.AddBaggage(Uri.UnescapeDataString(item.Substring(0, equals).Trim()), Uri.UnescapeDataString(item.Substring(equals + 1).Trim()));
            }
        }
    }
}
