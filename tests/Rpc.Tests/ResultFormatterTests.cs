using System;
using System.Net;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Client;
using Rpc.Serialization;
using Rpc.Server;
using Rpc.Tests.Support;
using Xunit;

namespace Rpc.Tests;

/// <summary>
/// A plain unary call's result goes through the method's cached formatter and the completing thread's scratch
/// buffer: a formatter that fails answers that call with Internal and leaves nothing behind for the next call, and a
/// formatter registered after the method was first used takes over.
/// </summary>
public sealed class ResultFormatterTests
{
    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_result_that_cannot_be_serialized_fails_that_call_and_a_later_formatter_takes_over(TransportKind transport)
    {
        await using var server = new RpcServer();
        server.AddService<IStampService>(new StampService());
        EndPoint bound = await server.ListenAsync(TestHost.CreateEndPoint(transport)).WaitAsync(TestHost.Timeout);
        await using RpcClient client = await RpcClient.ConnectAsync(bound).WaitAsync(TestHost.Timeout);

        Assert.Equal("stamp 1", await GetAsync(client, 1));

        StampFormatter.Failing = true;
        try
        {
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => GetAsync(client, 2));
            Assert.Equal(RpcStatusCode.Internal, error.StatusCode);
        }
        finally
        {
            StampFormatter.Failing = false;
        }
        Assert.Equal("stamp 3", await GetAsync(client, 3));

        // Registered after the method has served calls: the server's cached formatter gives way to it.
        RpcFormatterProvider.Register(new StampFormatter("replaced"));
        try
        {
            Assert.Equal("replaced 4", await GetAsync(client, 4));
        }
        finally
        {
            RpcFormatterProvider.Register(new StampFormatter("stamp"));
        }
    }

    private static async Task<string> GetAsync(RpcClient client, int value)
    {
        RpcOutgoingCall call = client.StartCall(StampMethods.Get, CancellationToken.None);
        RpcWriter writer = call.CreateArgumentWriter();
        writer.WriteValue(value);
        writer.Flush();
        // The client reads the reply as a plain string, whatever text the server's formatter put in front.
        return (await call.InvokeAsync<string>().AsTask().WaitAsync(TestHost.Timeout))!;
    }
}

public interface IStampService
{
    ValueTask<Stamp> GetAsync(int value);
}

/// <summary>A result type of this test's own, so that its formatter can change without touching other tests.</summary>
public sealed record Stamp(int Value);

internal sealed class StampService : IStampService
{
    // Completes synchronously: the plain call path the scratch buffer and the cached formatter are on.
    public ValueTask<Stamp> GetAsync(int value) => new(new Stamp(value));
}

/// <summary>Writes a stamp as the string "{prefix} {value}"; fails while <see cref="Failing"/> is set.</summary>
internal sealed class StampFormatter(string prefix) : RpcFormatter<Stamp>
{
    public static volatile bool Failing;

    public override void Serialize(ref RpcWriter writer, scoped in Stamp? value)
    {
        writer.WriteString($"{prefix} {value!.Value}");
        if (Failing)
        {
            // Enough is written first that the writer hands part of it to the buffer as it grows: a buffer that
            // kept it would put it in front of the next reply.
            writer.WriteString(new string('x', 8000));
            throw new InvalidOperationException("The stamp formatter fails on purpose.");
        }
    }

    public override Stamp? Deserialize(ref RpcReader reader) => throw new NotSupportedException();
}

internal static class StampMethods
{
    public static readonly RpcMethodDescriptor Get = new("Rpc.Tests.IStampService", "GetAsync", 0x2001, RpcMethodKind.Unary);
}

/// <summary>What generated code would register: the formatter and the binder.</summary>
internal static class StampRegistration
{
    [ModuleInitializer]
    internal static void Register()
    {
        RpcFormatterProvider.Register(new StampFormatter("stamp"));
        RpcServiceRegistry.Register<IStampService>(static binder =>
            binder.AddUnary<Stamp>(StampMethods.Get, static (IStampService service, ref RpcReader reader, CancellationToken ct) =>
                service.GetAsync(reader.ReadValue<int>())));
    }
}
