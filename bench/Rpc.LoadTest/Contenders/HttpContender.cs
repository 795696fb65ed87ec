using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rpc.LoadTest.Contracts;
using Rpc.LoadTest.Measurement;

namespace Rpc.LoadTest.Contenders;

/// <summary>
/// What many users would pick instead, all in-box: an ASP.NET Core minimal API on Kestrel over HTTP/2 cleartext
/// (prior knowledge, no TLS), called with one <see cref="HttpClient"/>, JSON through System.Text.Json's source
/// generator. Streaming is an <see cref="IAsyncEnumerable{T}"/> endpoint, read as it arrives.
/// </summary>
internal sealed class HttpContender : Contender
{
    public override string Name => "http2";

    public override string DisplayName => "ASP.NET Core HTTP/2 (h2c)";

    public override string Uses => "one server process; one HTTP/2 connection, cleartext (h2c); JSON through System.Text.Json's source generator";

    public override async Task<IAsyncDisposable> StartServerAsync(int port)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Loopback only, like the other contenders (ListenLocalhost would add [::1], which the client never uses).
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.AddServerHeader = false;
            // Kestrel's default is 100 streams per connection; 256 callers share one connection here.
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1024;
        });
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, HttpJsonContext.Default));

        WebApplication app = builder.Build();
        app.MapPost("/echo", (EchoRequest request) => new EchoReply(Payload.Reply(request.Text)));
        app.MapGet("/stream", (int count) => StreamItemsAsync(count));
        await app.StartAsync();
        return new StoppingHost(app);
    }

    private sealed class StoppingHost(WebApplication app) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async IAsyncEnumerable<StreamItem> StreamItemsAsync(int count)
    {
        for (int i = 0; i < count; i++)
        {
            yield return new StreamItem(i, i * 7L);
        }
        await Task.CompletedTask;
    }

    public override async Task<ILoadConnection> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var handler = new SocketsHttpHandler
        {
            // One connection for every caller, as for the other contenders.
            EnableMultipleHttp2Connections = false,
            UseProxy = false,
        };
        var http = new HttpClient(handler)
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var connection = new Connection(http);
        // Open the connection now, so that connecting is not part of the first phase.
        using HttpResponseMessage warm = await http.PostAsJsonAsync("echo", new EchoRequest(0, Payload.Text), HttpJsonContext.Default.EchoRequest, cancellationToken);
        warm.EnsureSuccessStatusCode();
        return connection;
    }

    private sealed class Connection(HttpClient http) : ILoadConnection
    {
        private readonly Func<int, ValueTask<string>> _call = id => EchoAsync(http, id);

        public string? StreamingUnavailableReason => null;

        public Task RunCallerAsync(CallerState caller) => CallLoop.RunAsync(_call, caller);

        // What an application's typed client method looks like.
        private static async ValueTask<string> EchoAsync(HttpClient http, int id)
        {
            using HttpResponseMessage response = await http.PostAsJsonAsync("echo", new EchoRequest(id, Payload.Text), HttpJsonContext.Default.EchoRequest).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            EchoReply? reply = await response.Content.ReadFromJsonAsync(HttpJsonContext.Default.EchoReply).ConfigureAwait(false);
            return reply?.Text ?? "";
        }

        public async ValueTask<long> StreamAsync(int count, CancellationToken cancellationToken)
        {
            using HttpResponseMessage response = await http.GetAsync($"stream?count={count}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken);
            long received = 0;
            await foreach (StreamItem item in JsonSerializer.DeserializeAsyncEnumerable(body, HttpJsonContext.Default.StreamItem, cancellationToken))
            {
                if (item.Sequence != received)
                {
                    throw new InvalidDataException($"Stream item {item.Sequence} arrived where {received} was expected.");
                }
                received++;
            }
            return received;
        }

        public ValueTask DisposeAsync()
        {
            http.Dispose();
            return default;
        }
    }
}
