using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Greeter;
using Rpc;

// dotnet run --project samples/Greeter                       server and client in one process, on loopback
// dotnet run --project samples/Greeter -- server --port 5050 a server until Ctrl+C
// dotnet run --project samples/Greeter -- client --port 5050 a client calling that server
// add --tls to any of them: TLS with a self-signed certificate for localhost made at start-up (a demo: the client
// trusts the certificate whose thumbprint the server printed, given as --thumbprint, or any one without it)
string mode = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "both";
int port = ReadPort(args);
bool tls = args.Contains("--tls");
X509Certificate2? certificate = tls && mode != "client" ? DemoCertificate.Create() : null;
string? thumbprint = certificate?.Thumbprint ?? ReadOption(args, "--thumbprint");

switch (mode)
{
    case "server":
        await RunServerAsync(port);
        return 0;
    case "client":
        return await RunClientAsync(new IPEndPoint(IPAddress.Loopback, port));
    case "both":
        await using (RpcServer server = CreateServer())
        {
            EndPoint bound = await server.ListenAsync(new IPEndPoint(IPAddress.Loopback, port));
            Console.WriteLine($"server: listening on {bound}{(certificate is null ? "" : " with TLS")}");
            return await RunClientAsync(bound);
        }
    default:
        Console.Error.WriteLine("usage: Greeter [both|server|client] [--port N]");
        return 2;
}

RpcServer CreateServer()
{
    var server = new RpcServer(new RpcServerOptions
    {
        Tls = certificate is null ? null : new SslServerAuthenticationOptions { ServerCertificate = certificate },
    });
    server.AddService<IGreeter>(new GreeterService());
    return server;
}

async Task RunServerAsync(int port)
{
    await using RpcServer server = CreateServer();
    EndPoint bound = await server.ListenAsync(new IPEndPoint(IPAddress.Loopback, port == 0 ? 5050 : port));
    Console.WriteLine($"server: listening on {bound}{(certificate is null ? "" : $" with TLS, certificate {certificate.Thumbprint}")}; Ctrl+C to stop");
    var stop = new TaskCompletionSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
    AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.TrySetResult();
    await stop.Task;
    Console.WriteLine("server: stopping, letting calls in flight finish");
}

async Task<int> RunClientAsync(EndPoint endPoint)
{
    if (endPoint is IPEndPoint { Port: 0 } ip)
    {
        endPoint = new IPEndPoint(ip.Address, 5050);
    }
    var options = new RpcClientOptions();
    if (tls)
    {
        options.Tls = new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            // A demo trusts the self-signed certificate by its thumbprint; production uses a CA (docs/security.md).
            RemoteCertificateValidationCallback = (_, presented, _, _) =>
                presented is not null && (thumbprint is null || string.Equals(presented.GetCertHashString(), thumbprint, StringComparison.OrdinalIgnoreCase)),
        };
    }
    await using RpcClient client = await RpcClient.ConnectAsync(endPoint, options);
    Console.WriteLine($"client: connected{(tls ? " over TLS" : "")}");
    IGreeter greeter = client.CreateProxy<IGreeter>();

    HelloReply reply = await greeter.SayHelloAsync(new HelloRequest("World"));
    Console.WriteLine($"client: {reply.Message}");

    reply = await greeter.SayHelloAsync(new HelloRequest("Ada", "fr"));
    Console.WriteLine($"client: {reply.Message}");

    List<HelloReply> all = await greeter.SayHelloToAllAsync(["Grace", "Linus", "Barbara"]);
    Console.WriteLine($"client: {string.Join(" ", all.Select(r => r.Message))}");

    try
    {
        await greeter.SayHelloAsync(new HelloRequest(""));
    }
    catch (RpcException e)
    {
        Console.WriteLine($"client: the server refused an empty name: {e.StatusCode}: {e.Message}");
    }

    // Many calls in flight on one connection.
    HelloReply[] many = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => greeter.SayHelloAsync(new HelloRequest("caller " + i)).AsTask()));
    Console.WriteLine($"client: {many.Length} concurrent calls answered; the last said \"{many[^1].Message}\"");
    return 0;
}

static string? ReadOption(string[] args, string name)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

static int ReadPort(string[] args)
{
    int index = Array.IndexOf(args, "--port");
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out int port) ? port : 0;
}
