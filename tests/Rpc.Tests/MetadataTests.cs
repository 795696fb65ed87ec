using System.Collections.Generic;
using System;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Rpc.Protocol;
using Rpc.Serialization;
using Rpc.Tests.Manual;
using Rpc.Tests.Support;
using Xunit;

namespace Rpc.Tests;

public sealed class MetadataTests
{
    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task Request_headers_reach_the_server_as_strings_and_bytes(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        await using RpcClient client = await host.ConnectAsync();
        IContextService proxy = client.CreateProxy<IContextService>();

        var headers = new RpcMetadata { { "tenant", "blue" }, { "Trace-Id", "abc-123" }, { "token-bin", new byte[] { 0, 1, 254, 255 } } };
        using (RpcCallOptions.Push(new RpcCallOptions { Headers = headers }))
        {
            Assert.Equal("blue", await proxy.GetHeaderAsync("tenant").AsTask().WaitAsync(TestHost.Timeout));
            Assert.Equal("abc-123", await proxy.GetHeaderAsync("TRACE-ID").AsTask().WaitAsync(TestHost.Timeout));
            Assert.Equal(new byte[] { 0, 1, 254, 255 }, await proxy.GetBinaryHeaderAsync("token-bin").AsTask().WaitAsync(TestHost.Timeout));
            Assert.Null(await proxy.GetHeaderAsync("missing").AsTask().WaitAsync(TestHost.Timeout));
        }
        // Outside the scope, nothing is sent.
        Assert.Null(await proxy.GetHeaderAsync("tenant").AsTask().WaitAsync(TestHost.Timeout));
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task Response_headers_and_trailers_come_back_to_the_call_options(TransportKind transport)
    {
        // The call carries no metadata and no deadline: only a server that always creates a context gives its
        // handler one to set response metadata on.
        await using TestHost host = await TestHost.StartAsync(transport, new RpcServerOptions { AlwaysCreateContext = true });
        await using RpcClient client = await host.ConnectAsync();
        IContextService proxy = client.CreateProxy<IContextService>();

        var options = new RpcCallOptions();
        using (RpcCallOptions.Push(options))
        {
            Assert.Equal("ok", await proxy.AnnotateAsync("node-7", "12ms").AsTask().WaitAsync(TestHost.Timeout));
        }
        Assert.Equal("node-7", options.ResponseHeaders?.GetString("served-by"));
        Assert.Equal("12ms", options.ResponseTrailers?.GetString("cost"));
        Assert.Equal(new byte[] { 1, 2, 3 }, options.ResponseTrailers?.GetBytes("digest"));
        Assert.Equal(2, options.ResponseTrailers!.Count);
    }

    [Fact]
    public async Task Every_call_sees_its_own_context_whether_made_on_demand_or_up_front()
    {
        await using (TestHost lean = await TestHost.StartAsync(TransportKind.InMemory))
        {
            await using RpcClient client = await lean.ConnectAsync();
            IContextService proxy = client.CreateProxy<IContextService>();
            // A plain call: no context up front, one on demand when the handler reads RpcContext.Current.
            Assert.True(await proxy.HasContextAsync().AsTask().WaitAsync(TestHost.Timeout));
            using (RpcCallOptions.Push(new RpcCallOptions { Headers = new RpcMetadata { { "any", "thing" } } }))
            {
                Assert.True(await proxy.HasContextAsync().AsTask().WaitAsync(TestHost.Timeout));
            }
        }
        await using TestHost always = await TestHost.StartAsync(TransportKind.InMemory, new RpcServerOptions { AlwaysCreateContext = true });
        await using RpcClient other = await always.ConnectAsync();
        Assert.True(await other.CreateProxy<IContextService>().HasContextAsync().AsTask().WaitAsync(TestHost.Timeout));
    }

    [Fact]
    public async Task A_context_made_on_demand_does_not_leak_into_the_next_call_run_on_that_thread()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.InMemory);
        await using RpcClient client = await host.ConnectAsync();
        IContextService proxy = client.CreateProxy<IContextService>();
        // Pairs land in one read's batch: GetDeadline's handler (not an async method) makes a context on demand and
        // leaves it on the thread; HasContext's must see its own. (Leaving a handler clears an on-demand context, and
        // the batch restores the ambient context between items: with both switched off, every check fails.)
        for (int round = 0; round < 20; round++)
        {
            var deadlines = new List<Task<long>>();
            var checks = new List<Task<bool>>();
            for (int i = 0; i < 32; i++)
            {
                deadlines.Add(proxy.GetDeadlineAsync().AsTask());
                checks.Add(proxy.HasContextAsync().AsTask());
            }
            Assert.All(await Task.WhenAll(checks).WaitAsync(TestHost.Timeout), Assert.True);
            Assert.All(await Task.WhenAll(deadlines).WaitAsync(TestHost.Timeout), deadline => Assert.Equal(-1, deadline));
        }
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task An_RpcException_reaches_the_client_with_exactly_its_status_message_and_trailers(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        await using RpcClient client = await host.ConnectAsync();
        IContextService proxy = client.CreateProxy<IContextService>();

        var options = new RpcCallOptions();
        RpcException error;
        using (RpcCallOptions.Push(options))
        {
            error = await Assert.ThrowsAsync<RpcException>(() => proxy.FailWithTrailersAsync((int)RpcStatusCode.FailedPrecondition, "the order is closed").AsTask().WaitAsync(TestHost.Timeout));
        }
        Assert.Equal(RpcStatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("the order is closed", error.Message);
        Assert.Equal("the order is closed", error.Trailers?.GetString("reason"));
        Assert.Equal(new[] { (byte)RpcStatusCode.FailedPrecondition }, error.Trailers?.GetBytes("code-bytes"));
        Assert.Same(error.Trailers, options.ResponseTrailers);
    }

    [Fact]
    public async Task Every_status_code_round_trips_with_its_message_and_trailers()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp);
        await using RpcClient client = await host.ConnectAsync();
        IContextService contextual = client.CreateProxy<IContextService>();
        ICalculatorService calculator = client.CreateProxy<ICalculatorService>();

        foreach (RpcStatusCode status in Enum.GetValues<RpcStatusCode>())
        {
            Assert.InRange((int)status, 0, 16);
            string message = $"status {(int)status} ({status})";

            RpcException withTrailers = await Assert.ThrowsAsync<RpcException>(() => contextual.FailWithTrailersAsync((int)status, message).AsTask().WaitAsync(TestHost.Timeout));
            Assert.Equal(status, withTrailers.StatusCode);
            Assert.Equal(message, withTrailers.Message);
            Assert.Equal(message, withTrailers.Trailers?.GetString("reason"));
            Assert.Equal(new[] { (byte)status }, withTrailers.Trailers?.GetBytes("code-bytes"));

            RpcException plain = await Assert.ThrowsAsync<RpcException>(() => calculator.FailAsync((int)status, message).AsTask().WaitAsync(TestHost.Timeout));
            Assert.Equal(status, plain.StatusCode);
            Assert.Equal(message, plain.Message);
            Assert.Null(plain.Trailers);
        }
        Assert.Equal(17, Enum.GetValues<RpcStatusCode>().Length);
    }

    [Fact]
    public void Keys_are_case_insensitive_ASCII_and_invalid_ones_are_refused()
    {
        var metadata = new RpcMetadata { { "User-Agent", "test" }, { "x.trace_id-1", new byte[] { 7 } } };
        Assert.Equal("user-agent", metadata.First().Key);
        Assert.Equal("test", metadata.GetString("USER-AGENT"));
        Assert.Null(metadata.GetBytes("user-agent"));
        Assert.Equal(new byte[] { 7 }, metadata.GetBytes("X.Trace_Id-1"));
        Assert.True(metadata.Last().IsBinary);

        Assert.Throws<ArgumentException>(() => metadata.Add("", "x"));
        Assert.Throws<ArgumentException>(() => metadata.Add("has space", "x"));
        Assert.Throws<ArgumentException>(() => metadata.Add("ünïcode", "x"));
        Assert.Throws<ArgumentException>(() => metadata.Add("colon:", "x"));
        Assert.Throws<ArgumentNullException>(() => metadata.Add("ok", (string)null!));
        Assert.Equal(2, metadata.Count);
    }

    [Fact]
    public async Task Request_headers_over_the_limit_fail_that_call_and_nothing_else()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp, new RpcServerOptions { MaxMetadataSize = 1024 });
        await using RpcClient client = await host.ConnectAsync();
        IContextService proxy = client.CreateProxy<IContextService>();

        // Over the client's own limit (16 KiB): refused before sending.
        using (RpcCallOptions.Push(new RpcCallOptions { Headers = new RpcMetadata { { "big", new string('x', 20_000) } } }))
        {
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => proxy.GetHeaderAsync("big").AsTask().WaitAsync(TestHost.Timeout));
            Assert.Equal(RpcStatusCode.ResourceExhausted, error.StatusCode);
        }
        // Within the client's limit, over the server's: the server refuses that call.
        using (RpcCallOptions.Push(new RpcCallOptions { Headers = new RpcMetadata { { "big", new string('x', 2_000) } } }))
        {
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => proxy.GetHeaderAsync("big").AsTask().WaitAsync(TestHost.Timeout));
            Assert.Equal(RpcStatusCode.ResourceExhausted, error.StatusCode);
        }
        Assert.Null(await proxy.GetHeaderAsync("big").AsTask().WaitAsync(TestHost.Timeout));
    }

    [Fact]
    public void A_metadata_block_round_trips_and_its_layout_is_the_documented_one()
    {
        var metadata = new RpcMetadata { { "a", "b" }, { "k", new byte[] { 9 } } };
        var buffer = new RpcFrameBuffer();
        RpcMetadataCodec.Write(buffer, metadata, RpcSerializerOptions.Default, 1024);
        byte[] block = buffer.WrittenPayload.ToArray();
        buffer.Clear();

        // The example in docs/protocol.md, section "Metadata block".
        Assert.Equal(new byte[]
        {
            0x26, 0x00, 0x00, 0x00,                                 // length 38
            0x02, 0x00, 0x00, 0x00,                                 // 2 entries
            0xFE, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x00, 0x00, 0x61,   // key "a" (UTF-8: ~1, 1 char)
            0x00,                                                   // kind 0: string
            0xFE, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x00, 0x00, 0x62,   // "b"
            0xFE, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x00, 0x00, 0x6B,   // key "k"
            0x01,                                                   // kind 1: bytes
            0x01, 0x00, 0x00, 0x00, 0x09,                           // 1 byte: 09
        }, block);

        RpcMetadata read = RpcMetadataCodec.Read(block, RpcSerializerOptions.Default, 1024, out int consumed);
        Assert.Equal(block.Length, consumed);
        Assert.Equal("b", read.GetString("a"));
        Assert.Equal(new byte[] { 9 }, read.GetBytes("k"));
    }

    [Fact]
    public void Hostile_metadata_blocks_are_refused_before_anything_is_allocated_for_them()
    {
        RpcSerializerOptions options = RpcSerializerOptions.Default;
        // A length beyond the bytes present, a length over the limit, a count beyond the limit, a count that cannot
        // fit, a key with an invalid character, an unknown kind, a binary length beyond the block.
        Assert.Throws<RpcSerializationException>(() => RpcMetadataCodec.Read(new byte[] { 0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0 }, options, 1024, out _));
        Assert.Equal(RpcStatusCode.ResourceExhausted, Assert.Throws<RpcException>(() => RpcMetadataCodec.Read(Block(2000, 0, new byte[2000]), options, 1024, out _)).StatusCode);
        Assert.Equal(RpcStatusCode.ResourceExhausted, Assert.Throws<RpcException>(() => RpcMetadataCodec.Read(Block(4, 1_000_000), options, 1024, out _)).StatusCode);
        Assert.Throws<RpcSerializationException>(() => RpcMetadataCodec.Read(Block(8, 100, new byte[4]), options, 1024, out _));
        Assert.Throws<RpcSerializationException>(() => RpcMetadataCodec.Read(Entry("A", 0, "x"), options, 1024, out _));
        Assert.Throws<RpcSerializationException>(() => RpcMetadataCodec.Read(Entry("a", 7, "x"), options, 1024, out _));
        byte[] binary = Entry("a", 1, "");
        binary[^4] = 0xFF;
        Assert.Throws<RpcSerializationException>(() => RpcMetadataCodec.Read(binary, options, 1024, out _));
    }

    private static byte[] Block(int length, int count, byte[]? rest = null)
    {
        rest ??= Array.Empty<byte>();
        byte[] block = new byte[8 + rest.Length];
        BitConverter.TryWriteBytes(block.AsSpan(0), length);
        BitConverter.TryWriteBytes(block.AsSpan(4), count);
        rest.CopyTo(block, 8);
        return block;
    }

    // One entry: key as UTF-8, the kind, and a string value (kind 0) or an empty binary value (kind 1).
    private static byte[] Entry(string key, byte kind, string value)
    {
        var bytes = new System.Collections.Generic.List<byte>();
        void WriteString(string text)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(text);
            bytes.AddRange(BitConverter.GetBytes(~utf8.Length));
            bytes.AddRange(BitConverter.GetBytes(text.Length));
            bytes.AddRange(utf8);
        }
        bytes.AddRange(BitConverter.GetBytes(1));
        WriteString(key);
        bytes.Add(kind);
        if (kind == 1)
        {
            bytes.AddRange(BitConverter.GetBytes(0));
        }
        else
        {
            WriteString(value);
        }
        byte[] body = bytes.ToArray();
        return Block(body.Length, 1, body.AsSpan(4).ToArray());
    }
}
