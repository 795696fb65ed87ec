using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Discovery;

namespace Rpc.Etcd.Tests;

/// <summary>
/// The test assembly run as a program: <c>dotnet Rpc.Etcd.Tests.dll register &lt;endpoints&gt; &lt;prefix&gt;
/// &lt;service&gt; &lt;port&gt; &lt;ttlSeconds&gt;</c> registers one instance, prints "registered" and then waits
/// to be killed: the process whose death the tests watch etcd notice.
/// </summary>
public static class RegistrantProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 6 || args[0] != "register")
        {
            Console.Error.WriteLine("usage: register <endpoints> <prefix> <service> <port> <ttlSeconds>");
            return 2;
        }

        var registry = new EtcdServiceRegistry(new EtcdRegistryOptions
        {
            Endpoints = args[1],
            Prefix = args[2],
            LeaseTtl = TimeSpan.FromSeconds(int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture)),
        });
        var instance = new RpcServiceInstance(args[3], new IPEndPoint(IPAddress.Loopback, int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture)));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await registry.RegisterAsync(instance, timeout.Token);
        Console.WriteLine("registered");
        await Task.Delay(Timeout.Infinite);
        return 0;
    }
}
