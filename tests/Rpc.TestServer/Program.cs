using System.Net;
using System.Runtime.InteropServices;
using Rpc;
using Rpc.TestServer;

// Rpc.TestServer --port N [--name X]: serves IProbe on 127.0.0.1:N until killed; SIGTERM drains (StopAsync).
int port = 0;
string name = "server";
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--port": port = int.Parse(args[i + 1]); break;
        case "--name": name = args[i + 1]; break;
    }
}

var server = new RpcServer();
server.AddService<IProbe>(new ProbeService(name));
EndPoint bound = await server.ListenAsync(new IPEndPoint(IPAddress.Loopback, port));
Console.WriteLine($"listening {((IPEndPoint)bound).Port}");

var stop = new TaskCompletionSource();
using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.TrySetResult();
});
await stop.Task;
using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
await server.StopAsync(grace.Token);
Console.WriteLine("stopped");
