using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Security;
using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using Rpc.Tests.Manual;
using Rpc.Tests.Support;
using Xunit;

namespace Rpc.Tests;

public sealed class SecurityTests
{
    private static RpcServerOptions TlsServer(bool requireClientCertificate = false) => new()
    {
        Tls = new SslServerAuthenticationOptions
        {
            ServerCertificate = TestCertificates.Server,
            ClientCertificateRequired = requireClientCertificate,
            RemoteCertificateValidationCallback = requireClientCertificate ? (_, certificate, _, _) => TestCertificates.IsTrusted(certificate) : null,
        },
    };

    private static RpcClientOptions TlsClient(X509Certificate2? clientCertificate = null) => new()
    {
        Tls = new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, certificate, _, _) => TestCertificates.IsTrusted(certificate),
            ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
        },
    };

    private sealed class Recorder : IRpcServerInterceptor
    {
        public ConcurrentQueue<RpcContext> Calls { get; } = new();

        public ValueTask InterceptAsync(RpcContext context, RpcServerContinuation next)
        {
            Calls.Enqueue(context);
            return next(context);
        }
    }

    [Theory]
    [MemberData(nameof(TestHost.SocketTransports), MemberType = typeof(TestHost))]
    public async Task Calls_travel_over_TLS_on_every_socket_transport(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport, TlsServer());
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync(TlsClient());
        await using (client)
        {
            Assert.Equal(5, await proxy.AddAsync(2, 3).AsTask().WaitAsync(TestHost.Timeout));
            Assert.True(client.Connection.IsSecure);
        }
    }

    [Fact]
    public async Task With_mutual_TLS_the_handler_sees_the_clients_certificate()
    {
        var recorder = new Recorder();
        RpcServerOptions options = TlsServer(requireClientCertificate: true);
        options.Interceptors.Add(recorder);
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp, options);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync(TlsClient(TestCertificates.Client));
        await using (client)
        {
            Assert.Equal(5, await proxy.AddAsync(2, 3).AsTask().WaitAsync(TestHost.Timeout));
        }
        Assert.True(recorder.Calls.TryDequeue(out RpcContext? context));
        Assert.Equal(TestCertificates.Client.Thumbprint, context!.PeerCertificate?.Thumbprint);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Mutual_TLS_refuses_a_client_without_a_certificate_or_with_an_untrusted_one_before_any_handler(bool withStranger)
    {
        var recorder = new Recorder();
        RpcServerOptions options = TlsServer(requireClientCertificate: true);
        options.Interceptors.Add(recorder);
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp, options);
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => host.ConnectAsync(TlsClient(withStranger ? TestCertificates.Stranger : null)));
        Assert.Equal(RpcStatusCode.Unavailable, error.StatusCode);
        Assert.Empty(recorder.Calls);
        Assert.Equal(0, host.Service.Calls);
    }

    [Fact]
    public async Task A_plaintext_client_of_a_TLS_server_fails_to_connect_with_Unavailable_promptly()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp, TlsServer());
        var stopwatch = Stopwatch.StartNew();
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => host.ConnectAsync(new RpcClientOptions { ConnectTimeout = TimeSpan.FromSeconds(5) }));
        Assert.Equal(RpcStatusCode.Unavailable, error.StatusCode);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(4), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task A_TLS_client_of_a_plaintext_server_fails_to_connect_with_Unavailable_promptly()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp);
        var stopwatch = Stopwatch.StartNew();
        RpcClientOptions options = TlsClient();
        options.ConnectTimeout = TimeSpan.FromSeconds(5);
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => host.ConnectAsync(options));
        Assert.Equal(RpcStatusCode.Unavailable, error.StatusCode);
        Assert.Contains("TLS", error.Message);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(4), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task A_client_that_never_finishes_its_handshake_is_closed_by_the_HandshakeTimeout_and_others_go_on()
    {
        RpcServerOptions options = TlsServer();
        options.HandshakeTimeout = TimeSpan.FromMilliseconds(300);
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp, options);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync(TlsClient());
        await using (client)
        {
            await using RawConnection silent = await RawConnection.ConnectAsync(host.EndPoint);
            await using RawConnection trickler = await RawConnection.ConnectAsync(host.EndPoint);
            var stopwatch = Stopwatch.StartNew();
            Task<byte[]> silentClosed = silent.ReadUntilClosedAsync();
            Task<byte[]> tricklerClosed = trickler.ReadUntilClosedAsync();
            while (!tricklerClosed.IsCompleted && stopwatch.Elapsed < TestHost.Timeout)
            {
                try
                {
                    await trickler.SendAsync(new byte[] { 0x16 });
                }
                catch (Exception)
                {
                    break;
                }
                await Task.Delay(50);
            }
            await Task.WhenAll(silentClosed, tricklerClosed).WaitAsync(TestHost.Timeout);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"closed after {stopwatch.Elapsed}");
            Assert.Equal(7, await proxy.AddAsync(3, 4).AsTask().WaitAsync(TestHost.Timeout));
        }
    }

    [Fact]
    public async Task Connections_over_MaxConnections_are_closed_at_once_and_counted_while_connected_clients_go_on()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp, new RpcServerOptions { MaxConnections = 3 });
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            await using RawConnection first = await RawConnection.ConnectAsync(host.EndPoint);
            await using RawConnection second = await RawConnection.ConnectAsync(host.EndPoint);
            await using RawConnection third = await RawConnection.ConnectAsync(host.EndPoint);
            byte[] rest = await third.ReadUntilClosedAsync().WaitAsync(TestHost.Timeout);
            Assert.Empty(rest);
            Assert.Equal(1, host.Server.RejectedConnections);
            Assert.Equal(2, await proxy.AddAsync(1, 1).AsTask().WaitAsync(TestHost.Timeout));
        }
    }

    [Fact]
    public async Task Call_credentials_are_refused_in_clear_text_and_never_sent()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp);
        var options = new RpcClientOptions
        {
            CallCredentials = (context, headers) =>
            {
                headers.Add("authorization", "Bearer secret");
                return ValueTask.CompletedTask;
            },
        };
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync(options);
        await using (client)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => proxy.AddAsync(1, 1).AsTask().WaitAsync(TestHost.Timeout));
            Assert.Equal(0, host.Service.Calls);
        }
    }

    [Fact]
    public async Task A_bearer_token_interceptor_authenticates_and_authorizes_over_TLS()
    {
        RpcServerOptions serverOptions = TlsServer();
        serverOptions.Interceptors.Add(new RpcBearerTokenInterceptor(
            (token, _) => ValueTask.FromResult(token switch
            {
                "admin-token" => new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada"), new Claim(ClaimTypes.Role, "admin")], "test")),
                "user-token" => new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "bob")], "test")),
                _ => null,
            }),
            (user, context) => context.Method.MethodName != "AddAsync" || user.IsInRole("admin")));
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp, serverOptions);

        async Task<RpcStatusCode> CallWithAsync(string? token)
        {
            RpcClientOptions options = TlsClient();
            if (token is not null)
            {
                options.CallCredentials = (context, headers) =>
                {
                    headers.Add("authorization", "Bearer " + token);
                    return ValueTask.CompletedTask;
                };
            }
            (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync(options);
            await using (client)
            {
                try
                {
                    await proxy.AddAsync(1, 1).AsTask().WaitAsync(TestHost.Timeout);
                    return RpcStatusCode.OK;
                }
                catch (RpcException ex)
                {
                    return ex.StatusCode;
                }
            }
        }

        Assert.Equal(RpcStatusCode.OK, await CallWithAsync("admin-token"));
        Assert.Equal(RpcStatusCode.PermissionDenied, await CallWithAsync("user-token"));
        Assert.Equal(RpcStatusCode.Unauthenticated, await CallWithAsync("forged"));
        Assert.Equal(RpcStatusCode.Unauthenticated, await CallWithAsync(null));
        Assert.Equal(1, host.Service.Calls);
    }

    [Fact]
    public void Tls_without_a_certificate_and_a_TLS_in_memory_listener_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new RpcServer(new RpcServerOptions { Tls = new SslServerAuthenticationOptions() }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RpcServer(new RpcServerOptions { MaxConnections = 0 }));
    }
}
