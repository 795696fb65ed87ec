using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rpc.Hosting.Logging;

namespace Rpc.Hosting.Tests;

public sealed class LoggingTests
{
    [Fact]
    public async Task A_hosted_server_and_client_log_their_life_under_the_Rpc_categories_with_stable_event_ids()
    {
        var sink = new TestLoggerProvider();
        using IHost host = TestHosts.BuildServerAndClient(TestHosts.NewUnixEndpoint(), services => services.AddLogging(logging =>
        {
            logging.AddProvider(sink);
            logging.SetMinimumLevel(LogLevel.Debug);
        }));
        await host.StartAsync();
        Assert.Equal("Hello, log!", (await host.Services.GetRequiredService<ITestGreeter>().HelloAsync("log")).Message);
        await host.StopAsync();

        await sink.WaitForAsync(RpcLogCategories.Connection, 4);     // GoAwayReceived, by the client
        Assert.Contains((RpcLogCategories.Server, 110), sink.Ids);   // ServerListening
        Assert.Contains((RpcLogCategories.Connection, 1), sink.Ids); // ConnectionOpened
        Assert.Contains((RpcLogCategories.Server, 112), sink.Ids);   // ServerDraining
        Assert.Contains((RpcLogCategories.Connection, 3), sink.Ids); // GoAwaySent, by the server
        Assert.Contains((RpcLogCategories.Server, 113), sink.Ids);   // ServerStopped
        Assert.Contains(sink.Entries, e => e.Id == 1 && e.Message.StartsWith("Server connection", StringComparison.Ordinal));
        Assert.Contains(sink.Entries, e => e.Id == 1 && e.Message.StartsWith("Client connection", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_typed_client_that_cannot_connect_logs_a_warning_on_the_client_category()
    {
        var sink = new TestLoggerProvider();
        using IHost host = TestHosts.Build(services =>
        {
            services.AddLogging(logging => logging.AddProvider(sink));
            services.AddRpcClient<ITestGreeter>(options => options.Address = TestHosts.NewUnixEndpoint());
        });
        await host.StartAsync();
        await sink.WaitForAsync(RpcLogCategories.Client, 203);
        Assert.Equal(LogLevel.Warning, sink.Entries.First(e => e.Id == 203).Level);
        await host.StopAsync();
    }

    [Fact]
    public void Repeated_handler_failures_are_written_at_Warning_once_a_second_and_at_Debug_in_between()
    {
        var sink = new TestLoggerProvider();
        using ILoggerFactory factory = LoggerFactory.Create(logging => logging.AddProvider(sink).SetMinimumLevel(LogLevel.Debug));
        var bridge = new RpcLoggerBridge(factory);
        var method = new RpcMethodDescriptor("Demo.IGreeter", "HelloAsync", 1, RpcMethodKind.Unary);

        for (int i = 0; i < 5; i++)
        {
            bridge.HandlerFailed(method, new InvalidOperationException("broken"));
        }

        Assert.Equal([LogLevel.Warning, LogLevel.Debug, LogLevel.Debug, LogLevel.Debug, LogLevel.Debug], sink.Entries.Select(e => e.Level));
        Assert.All(sink.Entries, e => Assert.Equal((RpcLogCategories.Server, 100), (e.Category, e.Id)));
        Assert.All(sink.Entries, e => Assert.Equal("Demo.IGreeter/HelloAsync threw; the client got Unknown.", e.Message));
    }

    internal sealed record Entry(string Category, int Id, LogLevel Level, string Message);

    internal sealed class TestLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<Entry> _entries = new();

        public Entry[] Entries => _entries.ToArray();

        public (string, int)[] Ids => _entries.Select(e => (e.Category, e.Id)).ToArray();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

        public async Task WaitForAsync(string category, int id)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!_entries.Any(e => e.Category == category && e.Id == id))
            {
                Assert.True(DateTime.UtcNow < deadline, $"No {category} {id} in: {string.Join(", ", Ids)}");
                await Task.Delay(10);
            }
        }

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (category.StartsWith("Rpc.", StringComparison.Ordinal))
                {
                    entries.Enqueue(new Entry(category, eventId.Id, logLevel, formatter(state, exception)));
                }
            }
        }
    }
}
