using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Rpc.Diagnostics;

/// <summary>
/// The runtime's <see cref="ActivitySource"/> and <see cref="Meter"/> (both named <c>Rpc</c>) and their
/// instruments. A call is observed (it gets a context, an Activity and measurements) only when someone listens:
/// <see cref="ClientObserved"/> and <see cref="ServerObserved"/> are read once per call start and cost a few field
/// reads when nobody does.
/// </summary>
internal static class RpcTelemetry
{
#if NET9_0_OR_GREATER
    // The conventions' advice for RPC durations, in seconds (first: the histograms below read it as they are made).
    private static readonly double[] s_durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
#endif

    public static readonly ActivitySource Source = new(RpcTelemetryNames.ActivitySourceName);

    public static readonly Meter Meter = new(RpcTelemetryNames.MeterName);

    public static readonly Histogram<double> ServerDuration = CreateDuration(RpcTelemetryNames.ServerCallDuration, "How long the server took per call.");

    public static readonly Histogram<double> ClientDuration = CreateDuration(RpcTelemetryNames.ClientCallDuration, "How long calls took for the client.");

    public static readonly UpDownCounter<long> ServerActiveCalls = Meter.CreateUpDownCounter<long>(RpcTelemetryNames.ServerActiveCalls, "{call}", "The server's calls in flight.");

    public static readonly UpDownCounter<long> ClientActiveCalls = Meter.CreateUpDownCounter<long>(RpcTelemetryNames.ClientActiveCalls, "{call}", "The client's calls in flight.");

    public static readonly UpDownCounter<long> OpenConnections = Meter.CreateUpDownCounter<long>(RpcTelemetryNames.OpenConnections, "{connection}", "Connections open.");

    public static readonly Counter<long> BytesSent = Meter.CreateCounter<long>(RpcTelemetryNames.BytesSent, "By", "Bytes written to connections.");

    public static readonly Counter<long> BytesReceived = Meter.CreateCounter<long>(RpcTelemetryNames.BytesReceived, "By", "Bytes read from connections.");

    public static readonly Counter<long> Reconnects = Meter.CreateCounter<long>(RpcTelemetryNames.ClientReconnects, "{connection}", "Connections a client made again after its first.");

    public static readonly Counter<long> Retries = Meter.CreateCounter<long>(RpcTelemetryNames.ClientRetries, "{call}", "Calls sent again.");

    private static readonly KeyValuePair<string, object?> s_clientSide = new(RpcTelemetryNames.ConnectionSide, "client");
    private static readonly KeyValuePair<string, object?> s_serverSide = new(RpcTelemetryNames.ConnectionSide, "server");

    /// <summary>Whether a client call starting now is traced or measured.</summary>
    public static bool ClientObserved
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Source.HasListeners() || ClientDuration.Enabled || ClientActiveCalls.Enabled;
    }

    /// <summary>Whether a server call starting now is traced or measured.</summary>
    public static bool ServerObserved
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Source.HasListeners() || ServerDuration.Enabled || ServerActiveCalls.Enabled;
    }

    public static KeyValuePair<string, object?> Side(RpcConnectionSide side) => side == RpcConnectionSide.Server ? s_serverSide : s_clientSide;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OnBytesSent(RpcConnectionSide side, long bytes)
    {
        if (BytesSent.Enabled)
        {
            BytesSent.Add(bytes, Side(side));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OnBytesReceived(RpcConnectionSide side, long bytes)
    {
        if (BytesReceived.Enabled)
        {
            BytesReceived.Add(bytes, Side(side));
        }
    }

    public static void OnConnectionOpened(RpcConnectionSide side)
    {
        if (OpenConnections.Enabled)
        {
            OpenConnections.Add(1, Side(side));
        }
    }

    public static void OnConnectionClosed(RpcConnectionSide side)
    {
        if (OpenConnections.Enabled)
        {
            OpenConnections.Add(-1, Side(side));
        }
    }

    public static void OnReconnect()
    {
        if (Reconnects.Enabled)
        {
            Reconnects.Add(1);
        }
    }

    public static void OnRetry(bool transparent)
    {
        if (Retries.Enabled)
        {
            Retries.Add(1, new KeyValuePair<string, object?>(RpcTelemetryNames.RetryKind, transparent ? "transparent" : "policy"));
        }
    }

    private static Histogram<double> CreateDuration(string name, string description) =>
#if NET9_0_OR_GREATER
        Meter.CreateHistogram<double>(name, "s", description, tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_durationBuckets });
#else
        Meter.CreateHistogram<double>(name, "s", description);
#endif
}
