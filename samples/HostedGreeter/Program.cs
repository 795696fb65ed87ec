using HostedGreeter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
#if NET9_0_OR_GREATER
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Rpc.Diagnostics;
#endif
using Rpc;

// dotnet run --project samples/HostedGreeter                  a server and a typed client in one host; prints and exits
// dotnet run --project samples/HostedGreeter -- server        a server on appsettings.json's endpoint until Ctrl+C/SIGTERM
// dotnet run --project samples/HostedGreeter -- client        a client calling that server
// Any configuration value can be overridden on the command line, e.g. -- server --Rpc:Server:Endpoints:0=tcp://*:6000
// The calls' spans (the client's and its child, the server's) and the duration metrics are printed by OpenTelemetry's
// console exporter; --no-telemetry leaves them out.
bool telemetry = !args.Contains("--no-telemetry");
args = args.Where(a => a != "--no-telemetry").ToArray();
string mode = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "both";
if (mode is not ("both" or "server" or "client"))
{
    Console.Error.WriteLine("usage: HostedGreeter [both|server|client] [--no-telemetry] [--Rpc:Server:Endpoints:0=tcp://host:port ...]");
    return 2;
}

HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    // appsettings.json is copied next to the program; `dotnet run` starts it from wherever it was typed.
    ContentRootPath = AppContext.BaseDirectory,
});
if (mode != "server")
{
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    // The check after the stop is unhealthy on purpose; the health service would log it as an error.
    builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None);
}
if (mode == "both")
{
    // One process talking to itself: a Unix socket of its own rather than appsettings.json's TCP port, which
    // another program may hold. Configuration added later overrides what came before.
    string socket = "unix:" + Path.Combine(Path.GetTempPath(), $"hosted-greeter-{Environment.ProcessId}.sock");
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Rpc:Server:Endpoints:0"] = socket,
        ["Rpc:Clients:Greeter:Address"] = socket,
    });
}

#if NET9_0_OR_GREATER
if (telemetry)
{
    // The runtime reports through System.Diagnostics only; OpenTelemetry listens to the source and meter "Rpc".
    builder.Services.AddOpenTelemetry()
        .WithTracing(tracing => tracing.AddSource(RpcTelemetryNames.ActivitySourceName).AddConsoleExporter())
        .WithMetrics(metrics => metrics
            .AddMeter(RpcTelemetryNames.MeterName)
            // Only the two call durations, to keep the output short; every instrument is listed in docs/observability.md.
            .AddView(instrument => instrument.Name is RpcTelemetryNames.ClientCallDuration or RpcTelemetryNames.ServerCallDuration
                ? null
                : MetricStreamConfiguration.Drop)
            .AddConsoleExporter());
}
#else
_ = telemetry;   // the net8.0 build has no OpenTelemetry: see HostedGreeter.csproj
#endif

if (mode is "both" or "server")
{
    builder.Services.AddScoped<CallScope>();
    builder.Services.AddSingleton<GreetingFormat>();
    // Endpoints and options from "Rpc:Server"; GreeterService from DI in a new scope per call.
    builder.Services.AddRpcServer().AddService<IGreeter, GreeterService>();
    builder.Services.AddHealthChecks().AddRpcServer();
}
if (mode is "both" or "client")
{
    // Address and options from "Rpc:Clients:Greeter"; inject IGreeter anywhere.
    builder.Services.AddRpcClient<IGreeter>();
}

using IHost host = builder.Build();
if (mode == "server")
{
    Console.WriteLine("server: starting; Ctrl+C or SIGTERM stops it after the calls in flight finish");
    await host.RunAsync();
    return 0;
}

await host.StartAsync();
HealthCheckService? health = host.Services.GetService<HealthCheckService>();
if (health is not null)
{
    Console.WriteLine($"health: {(await health.CheckHealthAsync()).Status} while the server runs");
}

IGreeter greeter = host.Services.GetRequiredService<IGreeter>();
try
{
    HelloReply first = await greeter.SayHelloAsync(new HelloRequest("World"));
    HelloReply second = await greeter.SayHelloAsync(new HelloRequest("Ada"));
    Console.WriteLine($"client: {first.Message} (served in DI scope {first.ScopeId})");
    Console.WriteLine($"client: {second.Message} (served in DI scope {second.ScopeId})");

    var counted = new List<int>();
    await foreach (int n in greeter.CountDownAsync(3))
    {
        counted.Add(n);
    }
    Console.WriteLine($"client: counted down {string.Join(" ", counted)}");

    try
    {
        await greeter.SayHelloAsync(new HelloRequest(""));
    }
    catch (RpcException e)
    {
        Console.WriteLine($"client: the server refused an empty name: {e.StatusCode}: {e.Message}");
    }
}
catch (RpcException e) when (e.StatusCode == RpcStatusCode.Unavailable)
{
    Console.Error.WriteLine($"client: the server is not reachable: {e.Message}");
    await host.StopAsync();
    return 1;
}

await host.StopAsync();
if (health is not null)
{
    Console.WriteLine($"health: {(await health.CheckHealthAsync()).Status} once stopped; {CallScope.Disposed} call scopes were disposed");
}
return 0;
