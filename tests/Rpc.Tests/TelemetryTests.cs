using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Rpc.Diagnostics;
using Rpc.Tests.Manual;
using Rpc.Tests.Support;
using Xunit;

namespace Rpc.Tests;

/// <summary>Listeners are process-wide: these tests run alone, after the parallel ones, so that they see only their own calls.</summary>
[CollectionDefinition(nameof(TelemetryTests), DisableParallelization = true)]
public sealed class TelemetryCollection
{
}

[Collection(nameof(TelemetryTests))]
public sealed class TelemetryTests
{
    private static readonly ActivitySource s_test = new("Rpc.Tests.Telemetry");

    [Fact]
    public async Task A_call_makes_a_client_span_and_a_server_span_that_is_its_child_across_the_wire()
    {
        using var spans = new SpanRecorder();
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp);
        (RpcClient client, ICalculatorService calculator) = await host.ConnectProxyAsync();
        await using (client)
        {
            using Activity root = s_test.StartActivity("test")!;
            root.AddBaggage("tenant", "a b");
            Assert.Equal(5, await calculator.AddAsync(2, 3));
            root.Stop();

            Activity clientSpan = await spans.WaitForAsync(root.TraceId, ActivityKind.Client);
            Activity serverSpan = await spans.WaitForAsync(root.TraceId, ActivityKind.Server);
            string method = CalculatorMethods.ServiceName + "/AddAsync";
            Assert.Equal(method, clientSpan.DisplayName);
            Assert.Equal(method, serverSpan.DisplayName);
            Assert.Equal(root.SpanId, clientSpan.ParentSpanId);
            Assert.Equal(clientSpan.SpanId, serverSpan.ParentSpanId);
            Assert.True(serverSpan.HasRemoteParent);
            Assert.Equal("a b", serverSpan.GetBaggageItem("tenant"));
            foreach (Activity span in new[] { clientSpan, serverSpan })
            {
                Assert.Equal(RpcTelemetryNames.RpcSystem, span.GetTagItem("rpc.system.name"));
                Assert.Equal(method, span.GetTagItem("rpc.method"));
                Assert.Equal("OK", span.GetTagItem("rpc.response.status_code"));
                Assert.Null(span.GetTagItem("error.type"));
                Assert.Equal(ActivityStatusCode.Unset, span.Status);
            }
            var server = (IPEndPoint)host.EndPoint;
            Assert.Equal(server.Address.ToString(), clientSpan.GetTagItem("server.address"));
            Assert.Equal(server.Port, clientSpan.GetTagItem("server.port"));
        }
    }

    [Fact]
    public async Task A_failed_call_marks_both_spans_as_errors_with_the_status_as_gRPC_spells_it()
    {
        using var spans = new SpanRecorder();
        await using TestHost host = await TestHost.StartAsync(TransportKind.Unix);
        (RpcClient client, ICalculatorService calculator) = await host.ConnectProxyAsync();
        await using (client)
        {
            using Activity root = s_test.StartActivity("test")!;
            await Assert.ThrowsAsync<RpcException>(() => calculator.FailAsync((int)RpcStatusCode.NotFound, "no such thing").AsTask());
            await Assert.ThrowsAsync<RpcException>(() => calculator.FailAsync(-1, "a bug").AsTask());
            root.Stop();

            Activity[] clientSpans = await spans.WaitForAsync(root.TraceId, ActivityKind.Client, count: 2);
            Activity[] serverSpans = await spans.WaitForAsync(root.TraceId, ActivityKind.Server, count: 2);
            Assert.All(clientSpans.Concat(serverSpans), span => Assert.Equal(ActivityStatusCode.Error, span.Status));
            Assert.Equal(["NOT_FOUND", "UNKNOWN"], clientSpans.Select(s => (string)s.GetTagItem("rpc.response.status_code")!));
            Assert.Equal(["NOT_FOUND", "UNKNOWN"], clientSpans.Select(s => (string)s.GetTagItem("error.type")!));
            Assert.Equal(["NOT_FOUND", "UNKNOWN"], serverSpans.Select(s => (string)s.GetTagItem("rpc.response.status_code")!));
            // The server saw the handler's own exception; the client only its status.
            Assert.Equal(["NOT_FOUND", typeof(InvalidOperationException).FullName], serverSpans.Select(s => (string)s.GetTagItem("error.type")!));
        }
    }

    [Fact]
    public async Task Durations_calls_in_flight_connections_and_bytes_are_measured()
    {
        using var meters = new MeasurementRecorder();
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp);
        (RpcClient client, ICalculatorService calculator) = await host.ConnectProxyAsync();
        await using (client)
        {
            Assert.Equal(3, await calculator.AddAsync(1, 2));
            await Assert.ThrowsAsync<RpcException>(() => calculator.FailAsync((int)RpcStatusCode.DeadlineExceeded, "late").AsTask());
        }
        string method = CalculatorMethods.ServiceName + "/AddAsync";
        Measurement clientCall = await meters.WaitForAsync("rpc.client.call.duration", m => (string?)m.Tag("rpc.method") == method);
        Measurement serverCall = await meters.WaitForAsync("rpc.server.call.duration", m => (string?)m.Tag("rpc.method") == method);
        Assert.InRange(clientCall.Value, 0, 10);
        Assert.InRange(serverCall.Value, 0, clientCall.Value);
        Assert.Equal("OK", clientCall.Tag("rpc.response.status_code"));
        Assert.Equal(((IPEndPoint)host.EndPoint).Port, clientCall.Tag("server.port"));
        Measurement failed = await meters.WaitForAsync("rpc.client.call.duration", m => (string?)m.Tag("rpc.method") == CalculatorMethods.ServiceName + "/FailAsync");
        Assert.Equal("DEADLINE_EXCEEDED", failed.Tag("error.type"));

        Assert.Equal(0, meters.Sum("rpc.client.active_calls", method));
        Assert.Equal(0, meters.Sum("rpc.server.active_calls", method));
        Assert.Contains(meters.All, m => m.Name == "rpc.client.active_calls" && m.Value == 1);
        Assert.Contains(meters.All, m => m.Name == "rpc.connection.open" && m.Value == 1 && (string?)m.Tag("rpc.connection.side") == "client");
        Assert.Contains(meters.All, m => m.Name == "rpc.connection.open" && m.Value == 1 && (string?)m.Tag("rpc.connection.side") == "server");
        Assert.Contains(meters.All, m => m.Name == "rpc.connection.bytes_sent" && m.Value > 0);
        Assert.Contains(meters.All, m => m.Name == "rpc.connection.bytes_received" && m.Value > 0);
    }

    private sealed class SpanRecorder : IDisposable
    {
        private readonly ConcurrentQueue<Activity> _stopped = new();
        private readonly ActivityListener _listener;

        public SpanRecorder()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name is RpcTelemetryNames.ActivitySourceName or "Rpc.Tests.Telemetry",
                Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _stopped.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public async Task<Activity> WaitForAsync(ActivityTraceId trace, ActivityKind kind) => (await WaitForAsync(trace, kind, 1))[0];

        public async Task<Activity[]> WaitForAsync(ActivityTraceId trace, ActivityKind kind, int count)
        {
            DateTime deadline = DateTime.UtcNow + TestHost.Timeout;
            while (true)
            {
                Activity[] found = _stopped.Where(a => a.TraceId == trace && a.Kind == kind && a.Source.Name == RpcTelemetryNames.ActivitySourceName)
                    .OrderBy(a => a.StartTimeUtc).ToArray();
                if (found.Length >= count)
                {
                    return found;
                }
                Assert.True(DateTime.UtcNow < deadline, $"{found.Length} {kind} spans of the trace, not {count}.");
                await Task.Delay(10);
            }
        }

        public void Dispose() => _listener.Dispose();
    }

    internal sealed record Measurement(string Name, double Value, KeyValuePair<string, object?>[] Tags)
    {
        public object? Tag(string key) => Tags.FirstOrDefault(t => t.Key == key).Value;
    }

    private sealed class MeasurementRecorder : IDisposable
    {
        private readonly ConcurrentQueue<Measurement> _measurements = new();
        private readonly MeterListener _listener = new();

        public MeasurementRecorder()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == RpcTelemetryNames.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => _measurements.Enqueue(new Measurement(instrument.Name, value, tags.ToArray())));
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _measurements.Enqueue(new Measurement(instrument.Name, value, tags.ToArray())));
            _listener.Start();
        }

        public Measurement[] All => _measurements.ToArray();

        public double Sum(string name, string method) => All.Where(m => m.Name == name && (string?)m.Tag("rpc.method") == method).Sum(m => m.Value);

        public async Task<Measurement> WaitForAsync(string name, Func<Measurement, bool> match)
        {
            DateTime deadline = DateTime.UtcNow + TestHost.Timeout;
            while (true)
            {
                if (_measurements.FirstOrDefault(m => m.Name == name && match(m)) is { } found)
                {
                    return found;
                }
                Assert.True(DateTime.UtcNow < deadline, $"No matching {name}.");
                await Task.Delay(10);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
