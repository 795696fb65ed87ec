using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Rpc.Diagnostics;

namespace Rpc.Hosting.Tests;

/// <summary>What OpenTelemetry's SDK records from the runtime's ActivitySource and Meter, read through its in-memory exporter.</summary>
public sealed class OpenTelemetryTests
{
    private static readonly ActivitySource s_test = new("Rpc.Hosting.Tests.OpenTelemetry");

    [Fact]
    public async Task OpenTelemetry_records_linked_client_and_server_spans_and_the_call_durations()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        using TracerProvider tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(RpcTelemetryNames.ActivitySourceName, s_test.Name)
            .AddInMemoryExporter(spans)
            .Build()!;
        using MeterProvider meters = Sdk.CreateMeterProviderBuilder()
            .AddMeter(RpcTelemetryNames.MeterName)
            .AddInMemoryExporter(metrics)
            .Build()!;
        using IHost host = TestHosts.BuildServerAndClient(TestHosts.NewUnixEndpoint());
        await host.StartAsync();
        ITestGreeter greeter = host.Services.GetRequiredService<ITestGreeter>();

        ActivityTraceId trace;
        using (Activity root = s_test.StartActivity("checkout")!)
        {
            trace = root.TraceId;
            Assert.Equal("Hello, otel!", (await greeter.HelloAsync("otel")).Message);
            var failure = await Assert.ThrowsAsync<RpcException>(() => greeter.HelloAsync(TestGreeterService.NotFoundName).AsTask());
            Assert.Equal(RpcStatusCode.NotFound, failure.StatusCode);
        }
        await host.StopAsync();
        tracing.ForceFlush();
        meters.ForceFlush();

        string method = typeof(ITestGreeter).FullName + "/HelloAsync";
        Activity[] ours;
        lock (spans)
        {
            ours = spans.Where(s => s.TraceId == trace && s.Source.Name == RpcTelemetryNames.ActivitySourceName).OrderBy(s => s.StartTimeUtc).ToArray();
        }
        Activity[] clients = ours.Where(s => s.Kind == ActivityKind.Client).ToArray();
        Activity[] servers = ours.Where(s => s.Kind == ActivityKind.Server).ToArray();
        Assert.Equal(2, clients.Length);
        Assert.Equal(2, servers.Length);
        Assert.All(ours, s => Assert.Equal(method, s.DisplayName));
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(clients[i].SpanId, servers[i].ParentSpanId);
        }
        Assert.Equal("OK", clients[0].GetTagItem("rpc.response.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, clients[0].Status);
        Assert.Equal("NOT_FOUND", clients[1].GetTagItem("rpc.response.status_code"));
        Assert.Equal("NOT_FOUND", clients[1].GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, clients[1].Status);
        Assert.Equal(ActivityStatusCode.Error, servers[1].Status);
        Assert.Equal(RpcTelemetryNames.RpcSystem, servers[0].GetTagItem("rpc.system.name"));

        foreach (string name in new[] { RpcTelemetryNames.ClientCallDuration, RpcTelemetryNames.ServerCallDuration })
        {
            Metric duration = metrics.Last(m => m.Name == name);
            Assert.Equal("s", duration.Unit);
            Assert.Equal(MetricType.Histogram, duration.MetricType);
            long calls = 0;
            foreach (ref readonly MetricPoint point in duration.GetMetricPoints())
            {
                string? pointMethod = null;
                foreach (KeyValuePair<string, object?> tag in point.Tags)
                {
                    pointMethod = tag.Key == "rpc.method" ? (string?)tag.Value : pointMethod;
                }
                if (pointMethod == method)
                {
                    calls += point.GetHistogramCount();
                    var bounds = new List<double>();
                    foreach (HistogramBucket bucket in point.GetHistogramBuckets())
                    {
                        bounds.Add(bucket.ExplicitBound);
                    }
                    Assert.Equal([0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, double.PositiveInfinity], bounds);
                }
            }
            Assert.True(calls >= 2, $"{name}: {calls} calls of {method}");
        }
    }
}
