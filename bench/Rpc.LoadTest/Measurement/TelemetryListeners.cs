using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Rpc.LoadTest.Measurement;

/// <summary>
/// With <c>RPC_LOADTEST_TELEMETRY=1</c> in the environment (the server processes inherit it), listens to the
/// runtime's <c>Rpc</c> ActivitySource (every span sampled and recorded) and <c>Rpc</c> Meter (every instrument,
/// each measurement added to a running sum), as an OpenTelemetry SDK would before exporting: it prices tracing and
/// metrics that someone reads (bench/README.md, "Telemetry").
/// </summary>
internal static class TelemetryListeners
{
    private static ActivityListener? s_activities;
    private static MeterListener? s_meters;
    private static double s_sum;

    public static bool Enabled => Environment.GetEnvironmentVariable("RPC_LOADTEST_TELEMETRY") == "1";

    public static void StartIfAsked()
    {
        if (!Enabled)
        {
            return;
        }
        s_activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Rpc",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = static activity => Volatile.Write(ref s_sum, s_sum + activity.Duration.TotalSeconds),
        };
        ActivitySource.AddActivityListener(s_activities);
        s_meters = new MeterListener
        {
            InstrumentPublished = static (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Rpc")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        s_meters.SetMeasurementEventCallback<double>(static (_, value, _, _) => Volatile.Write(ref s_sum, s_sum + value));
        s_meters.SetMeasurementEventCallback<long>(static (_, value, _, _) => Volatile.Write(ref s_sum, s_sum + value));
        s_meters.Start();
    }
}
