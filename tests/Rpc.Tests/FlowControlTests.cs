using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Protocol;
using Rpc.Server;
using Rpc.Tests.Manual;
using Rpc.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Rpc.Tests;

/// <summary>
/// A slow reader slows its writer: what a producer has sent and not had credited back, and what a receiver holds,
/// never exceed one window plus one item. The figures are measured by the connections themselves
/// (<see cref="RpcFlowStatistics"/>) and, end to end, by counting items produced and consumed.
/// </summary>
public sealed class FlowControlTests
{
    private const int Window = RpcFlowControl.InitialWindow;
    private const int ItemSize = 4096;
    // A byte[] item: the frame header, the array's int32 length, the bytes.
    private const int ItemCost = RpcFrameHeader.Size + sizeof(int) + ItemSize;
    private const int Items = 100;

    private readonly ITestOutputHelper _output;

    public FlowControlTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_slow_client_keeps_the_servers_outstanding_bytes_within_one_window_plus_one_item(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        await using RpcClient client = await host.ConnectAsync();
        IStreamingService proxy = client.CreateProxy<IStreamingService>();

        RpcServerConnection server = await host.SingleServerConnectionAsync();
        long maxAhead = 0;
        int consumed = 0;
        await foreach (byte[] blob in proxy.ProduceAsync(Items, ItemSize))
        {
            Assert.Equal((byte)consumed, blob[0]);
            consumed++;
            if (consumed == 1)
            {
                // Stop reading: the producer fills the window, and is then given time to run further if it could.
                await StreamingTests.WaitUntilAsync(() => server.FlowStatistics.MaxOutstandingBytes >= Window);
                await Task.Delay(50);
            }
            maxAhead = Math.Max(maxAhead, host.Streaming.Produced - consumed);
        }
        Assert.Equal(Items, consumed);

        long outstanding = server.FlowStatistics.MaxOutstandingBytes;
        long buffered = client.Connection.FlowStatistics.MaxBufferedBytes;
        _output.WriteLine($"{transport}: server outstanding max {outstanding} B, client buffered max {buffered} B, producer ahead of consumer max {maxAhead} items; window {Window} B, item {ItemCost} B");

        // The producer ran until the window was full (the pauses let it) and no further.
        Assert.InRange(outstanding, Window, Window + ItemCost - 1);
        Assert.InRange(buffered, 1, Window + ItemCost - 1);
        Assert.InRange(maxAhead, 1, (Window + ItemCost) / ItemCost + 2);
    }

    [Theory]
    [MemberData(nameof(TestHost.AllTransports), MemberType = typeof(TestHost))]
    public async Task A_slow_handler_keeps_the_clients_outstanding_bytes_within_one_window_plus_one_item(TransportKind transport)
    {
        await using TestHost host = await TestHost.StartAsync(transport);
        using var gate = new SemaphoreSlim(0);
        host.Streaming.UploadGate = gate;
        await using RpcClient client = await host.ConnectAsync();
        IStreamingService proxy = client.CreateProxy<IStreamingService>();

        var producer = new CountingChunks(Items, ItemSize);
        Task upload = proxy.UploadAsync("slow", producer.ReadAsync()).AsTask();
        long maxAhead = 0;
        for (int i = 1; i <= Items; i++)
        {
            if (i == 1)
            {
                // The handler waits at its gate: the client fills the window, then has time to run further if it could.
                await StreamingTests.WaitUntilAsync(() => client.Connection.FlowStatistics.MaxOutstandingBytes >= Window);
                await Task.Delay(50);
            }
            maxAhead = Math.Max(maxAhead, producer.Produced - host.Streaming.UploadedChunks);
            gate.Release();
        }
        await upload.WaitAsync(TestHost.Timeout);
        Assert.Equal(Items, host.Streaming.UploadedChunks);

        long outstanding = client.Connection.FlowStatistics.MaxOutstandingBytes;
        long buffered = host.Server.Connections.Single().FlowStatistics.MaxBufferedBytes;
        _output.WriteLine($"{transport}: client outstanding max {outstanding} B, server buffered max {buffered} B, producer ahead of handler max {maxAhead} items; window {Window} B, item {ItemCost} B");

        Assert.InRange(outstanding, Window, Window + ItemCost - 1);
        Assert.InRange(buffered, 1, Window + ItemCost - 1);
        // The handler holds one taken item while it waits at the gate.
        Assert.InRange(maxAhead, 1, (Window + ItemCost) / ItemCost + 3);
    }

    /// <summary>A request stream that counts how far it has been enumerated.</summary>
    private sealed class CountingChunks
    {
        private readonly int _count;
        private readonly int _size;
        private long _produced;

        public CountingChunks(int count, int size)
        {
            _count = count;
            _size = size;
        }

        public long Produced => Interlocked.Read(ref _produced);

        public async IAsyncEnumerable<byte[]> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            for (int i = 0; i < _count; i++)
            {
                Interlocked.Increment(ref _produced);
                yield return new byte[_size];
            }
        }
    }
}
