using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Protocol;
using Rpc.Serialization;

namespace Rpc.Fuzzing;

/// <summary>
/// Writes the seed corpus from the runtime's own writers, so seeds are valid inputs the fuzzer mutates from: the
/// connection seeds are what a real client sent (recorded by a loopback proxy), the other targets' seeds are cut
/// from those frames or written by the codecs. File names are the content's hash, as libFuzzer names its finds.
/// </summary>
internal static class SeedCorpus
{
    public static async Task WriteAsync(string root)
    {
        List<byte[]> sessions = await RecordSessionsAsync();
        var seeds = new List<(string Target, byte[] Bytes)>();

        foreach (byte[] session in sessions)
        {
            seeds.Add(("server-connection", session));
            seeds.Add(("frame-parser", Prepend(2 | (15 << 2), session)));
            foreach ((RpcFrameHeader header, byte[] payload) in Frames(session))
            {
                if (header.Type == RpcFrameType.Request)
                {
                    seeds.Add(("request-prefix", Prepend((byte)header.Flags, payload)));
                }
            }
        }
        seeds.Add(("frame-parser", Prepend(1, sessions[0])));

        var headers = new RpcMetadata();
        headers.Add("user", "ada");
        headers.Add("trace-bin", new byte[] { 1, 2, 3, 4 });
        headers.Add("authorization", "Bearer token-\u00e9\u4e2d");
        seeds.Add(("metadata", Prepend(0, MetadataBlock(headers, RpcSerializerOptions.Default))));
        seeds.Add(("metadata", Prepend(2, MetadataBlock(headers, RpcSerializerOptions.Utf16))));
        seeds.Add(("metadata", Prepend(1, MetadataBlock(new RpcMetadata(), RpcSerializerOptions.Default))));

        seeds.Add(("control-frames", Prepend(0, Payload(RpcControlFrames.CreateError(new RpcFrameBuffer(), RpcSerializerOptions.Default, 1, 2, RpcStatusCode.NotFound, "no such order", "at Orders.Find")))));
        seeds.Add(("control-frames", Prepend(1, Payload(RpcControlFrames.CreateGoAway(RpcSerializerOptions.Default, 7, RpcStatusCode.Unavailable, "draining")))));
        seeds.Add(("control-frames", Prepend(2, Payload(RpcControlFrames.CreateWindowUpdate(3, 65536)))));

        foreach ((int index, byte[] bytes) in SampleValues())
        {
            seeds.Add(("serializer", Prepend((byte)index, bytes)));
        }

        foreach ((string target, byte[] bytes) in seeds)
        {
            string folder = Path.Combine(root, target);
            Directory.CreateDirectory(folder);
            string name = Convert.ToHexString(SHA1.HashData(bytes)).ToLowerInvariant();
            await File.WriteAllBytesAsync(Path.Combine(folder, name), bytes);
        }
        foreach (IGrouping<string, (string Target, byte[] Bytes)> group in seeds.GroupBy(s => s.Target))
        {
            Console.WriteLine($"{group.Key}: {group.Count()} seeds");
        }
    }

    private static IEnumerable<(int Index, byte[] Bytes)> SampleValues()
    {
        var shape = new Polygon(new[] { 0, 0, 4, 0, 4, 3 }, new List<Shape?> { new Circle(1.5), null, new Rectangle(2, 3) });
        var order = new Order(
            42,
            "Ada \u00e9\u4e2d",
            new List<OrderLine> { new("tea", 2, 3.5m, null), new("cup", 1, 9.99m, new byte[] { 0xff, 0 }) },
            new Dictionary<string, int> { ["tea"] = 10, ["cup"] = 0 },
            shape,
            new Address("1 Main St", null, new List<string> { "ring twice", "" }));
        var profile = new Profile
        {
            Version = 3,
            Name = "ada",
            Tags = new Dictionary<string, List<string>> { ["role"] = new() { "admin", "dev" }, ["none"] = new() },
            Avatar = new Circle(2),
        };
        yield return (0, RpcSerializer.Serialize(order));
        yield return (0, RpcSerializer.Serialize(order, RpcSerializerOptions.Utf16));
        yield return (1, RpcSerializer.Serialize<Shape>(shape));
        yield return (2, RpcSerializer.Serialize(profile));
        yield return (3, RpcSerializer.Serialize(profile.Tags));
        yield return (4, RpcSerializer.Serialize(shape.Holes));
        yield return (5, RpcSerializer.Serialize(new[] { "a", null, "", "\u00e9\u4e2d" }));
        yield return (6, RpcSerializer.Serialize(order.ShipTo));
    }

    /// <summary>
    /// Runs a few sessions of real calls through a recording proxy and returns, per session, what the client sent
    /// after its preface: the input a server connection reads.
    /// </summary>
    private static async Task<List<byte[]>> RecordSessionsAsync()
    {
        await using var server = new RpcServer();
        server.AddService<IFuzzService>(new FuzzService());
        var target = (IPEndPoint)await server.ListenAsync(new IPEndPoint(IPAddress.Loopback, 0));

        var sessions = new List<byte[]>();
        Func<IFuzzService, Task>[] scenarios =
        {
            async service => await service.AddAsync(2, 3),
            async service =>
            {
                var headers = new RpcMetadata();
                headers.Add("user", "ada");
                headers.Add("trace-bin", new byte[] { 9, 8, 7 });
                using (RpcCallOptions.Push(new RpcCallOptions { Timeout = TimeSpan.FromSeconds(30), Headers = headers }))
                {
                    await service.EchoAsync(SampleOrder());
                }
            },
            async service => await service.NotifyAsync("hello"),
            async service =>
            {
                await foreach (int _ in service.CountAsync(3))
                {
                }
            },
            async service => await service.SumAsync(Values(4)),
            async service =>
            {
                await foreach (Profile _ in service.EchoProfilesAsync(Profiles()))
                {
                }
            },
            async service =>
            {
                // A stream the client stops early: its Cancel travels too.
                await foreach (int _ in service.CountAsync(8))
                {
                    break;
                }
                await service.AddAsync(1, 1);
            },
        };
        foreach (Func<IFuzzService, Task> scenario in scenarios)
        {
            sessions.Add(await RecordAsync(target, scenario));
        }
        return sessions;
    }

    private static async Task<byte[]> RecordAsync(IPEndPoint target, Func<IFuzzService, Task> scenario)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var recorded = new MemoryStream();
        Task proxy = Task.Run(async () =>
        {
            using Socket inbound = await listener.AcceptAsync();
            using var outbound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await outbound.ConnectAsync(target);
            Task up = PumpAsync(inbound, outbound, recorded);
            Task down = PumpAsync(outbound, inbound, null);
            await Task.WhenAny(up, down);
            inbound.Close(0);
            outbound.Close(0);
        });
        await using (RpcClient client = await RpcClient.ConnectAsync(listener.LocalEndPoint!))
        {
            await scenario(client.CreateProxy<IFuzzService>());
            await Task.Delay(100); // A one-way call's request, and a cancel, leave after the call returns.
        }
        await proxy.WaitAsync(TimeSpan.FromSeconds(10));
        byte[] all = recorded.ToArray();
        return all.AsSpan(RpcPreface.Size).ToArray();
    }

    private static async Task PumpAsync(Socket from, Socket to, MemoryStream? record)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    return;
                }
                lock (buffer)
                {
                    record?.Write(buffer, 0, read);
                }
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static Order SampleOrder() => new(
        7, "Bob", new List<OrderLine> { new("pen", 3, 1.25m, null) }, new Dictionary<string, int> { ["pen"] = 3 }, new Rectangle(1, 2), null);

    private static async IAsyncEnumerable<int> Values(int count)
    {
        for (int i = 1; i <= count; i++)
        {
            await Task.Yield();
            yield return i * 10;
        }
    }

    private static async IAsyncEnumerable<Profile> Profiles([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        yield return new Profile { Version = 1, Name = "one" };
        yield return new Profile { Version = 2, Tags = new Dictionary<string, List<string>> { ["k"] = new() { "v" } }, Avatar = new Circle(1) };
    }

    private static IEnumerable<(RpcFrameHeader Header, byte[] Payload)> Frames(byte[] stream)
    {
        var buffer = new ReadOnlySequence<byte>(stream);
        while (RpcFrameParser.TryParse(ref buffer, int.MaxValue, out RpcFrameHeader header, out ReadOnlySequence<byte> payload) == RpcFrameParseStatus.Frame)
        {
            yield return (header, payload.ToArray());
        }
    }

    private static byte[] MetadataBlock(RpcMetadata metadata, RpcSerializerOptions options)
    {
        var buffer = new RpcFrameBuffer();
        RpcMetadataCodec.Write(buffer, metadata, options, RpcMetadataCodec.DefaultMaxSize);
        byte[] bytes = buffer.WrittenPayload.ToArray();
        buffer.Clear();
        return bytes;
    }

    private static byte[] Payload(RpcOutgoingFrame frame)
    {
        byte[] payload = frame.Span.Slice(RpcFrameHeader.Size).ToArray();
        frame.Release();
        return payload;
    }

    private static byte[] Prepend(int first, byte[] rest)
    {
        var bytes = new byte[rest.Length + 1];
        bytes[0] = (byte)first;
        rest.CopyTo(bytes, 1);
        return bytes;
    }
}
