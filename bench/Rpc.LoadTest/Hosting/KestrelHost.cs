using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Rpc.LoadTest.Hosting;

/// <summary>
/// Kestrel as the gRPC contenders' server: HTTP/2 only on 127.0.0.1 (cleartext h2c, or TLS with a self-signed
/// certificate), no logging, and 1,024 streams per connection (Kestrel's default is 100; up to 256 callers share
/// one connection here).
/// </summary>
internal static class KestrelHost
{
    public static async Task<IAsyncDisposable> StartAsync(int port, bool tls, Action<IServiceCollection> services, Action<WebApplication> map)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (tls)
                {
                    listen.UseHttps(SelfSignedCertificate.Create());
                }
            });
            kestrel.AddServerHeader = false;
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1024;
        });
        services(builder.Services);
        WebApplication app = builder.Build();
        map(app);
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

    /// <summary>
    /// The client's handler: one HTTP/2 connection for every caller, as for the other contenders (grpc-dotnet's
    /// default would open a second one only past the server's stream limit, which 1,024 keeps out of reach).
    /// </summary>
    public static SocketsHttpHandler OneConnectionHandler(bool tls)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = false,
            UseProxy = false,
        };
        if (tls)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = SelfSignedCertificate.AcceptAny;
        }
        return handler;
    }
}
