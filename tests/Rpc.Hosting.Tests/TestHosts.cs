using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Rpc.Hosting.Tests;

/// <summary>Builds real Generic Hosts (no default sources: only the configuration a test gives) and socket paths of their own.</summary>
internal static class TestHosts
{
    /// <summary>A Unix socket endpoint string unique to one test.</summary>
    public static string NewUnixEndpoint() => "unix:" + Path.Combine(Path.GetTempPath(), $"rpc-hosting-{Guid.NewGuid():N}.sock");

    public static IHost Build(Action<IServiceCollection> services, IDictionary<string, string?>? configuration = null)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }
        services(builder.Services);
        return builder.Build();
    }

    /// <summary>A host serving <see cref="ITestGreeter"/> per call (and <see cref="ITestCounter"/> as a singleton) on <paramref name="endpoint"/>, with a typed client of it.</summary>
    public static IHost BuildServerAndClient(string endpoint, Action<IServiceCollection>? more = null, Action<RpcHostedClientOptions>? client = null) =>
        Build(services =>
        {
            services.AddSingleton<ProbeLog>();
            services.AddScoped<ScopedProbe>();
            services.AddRpcServer(options => options.Endpoints.Add(endpoint))
                .AddService<ITestGreeter, TestGreeterService>()
                .AddService<ITestCounter, TestCounterService>(ServiceLifetime.Singleton);
            services.AddRpcClient<ITestGreeter>(options =>
            {
                options.Address = endpoint;
                client?.Invoke(options);
            });
            services.AddRpcClient<ITestCounter>(options => options.Address = endpoint);
            more?.Invoke(services);
        });
}
