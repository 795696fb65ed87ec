using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Client;
using Rpc.Serialization;

namespace Rpc.Tests.Manual;

/// <summary>Hand-written stand-in for the generated proxy of <see cref="IStreamingService"/>.</summary>
internal sealed class StreamingServiceProxy : IStreamingService
{
    private readonly IRpcCallInvoker _invoker;

    public StreamingServiceProxy(IRpcCallInvoker invoker) => _invoker = invoker;

    public IAsyncEnumerable<int> CountAsync(int from, int count, CancellationToken ct = default)
    {
        RpcOutgoingCall call = _invoker.StartCall(StreamingMethods.Count, ct);
        try { RpcWriter writer = call.CreateArgumentWriter(); writer.WriteValue(from); writer.WriteValue(count); writer.Flush(); }
        catch { call.Abandon(); throw; }
        return call.InvokeServerStreaming<int>();
    }

    public IAsyncEnumerable<byte[]> ProduceAsync(int count, int size, CancellationToken ct = default)
    {
        RpcOutgoingCall call = _invoker.StartCall(StreamingMethods.Produce, ct);
        try { RpcWriter writer = call.CreateArgumentWriter(); writer.WriteValue(count); writer.WriteValue(size); writer.Flush(); }
        catch { call.Abandon(); throw; }
        return call.InvokeServerStreaming<byte[]>();
    }

    public IAsyncEnumerable<int> ForeverAsync(CancellationToken ct = default)
    {
        RpcOutgoingCall call = _invoker.StartCall(StreamingMethods.Forever, ct);
        return call.InvokeServerStreaming<int>();
    }

    public IAsyncEnumerable<int> FailAfterAsync(int items, int statusCode, string message, CancellationToken ct = default)
    {
        RpcOutgoingCall call = _invoker.StartCall(StreamingMethods.FailAfter, ct);
        try { RpcWriter writer = call.CreateArgumentWriter(); writer.WriteValue(items); writer.WriteValue(statusCode); writer.WriteValue(message); writer.Flush(); }
        catch { call.Abandon(); throw; }
        return call.InvokeServerStreaming<int>();
    }

    public Task<long> SumAsync(IAsyncEnumerable<int> values, CancellationToken ct = default)
    {
        RpcOutgoingCall call = _invoker.StartCall(StreamingMethods.Sum, ct);
        return call.InvokeClientStreamingAsync<int, long>(values).AsTask();
    }

    public ValueTask UploadAsync(string name, IAsyncEnumerable<byte[]> chunks, CancellationToken ct = default)
    {
        RpcOutgoingCall call = _invoker.StartCall(StreamingMethods.Upload, ct);
        try { RpcWriter writer = call.CreateArgumentWriter(); writer.WriteValue(name); writer.Flush(); }
        catch { call.Abandon(); throw; }
        return call.InvokeClientStreamingAsync<byte[]>(chunks);
    }

    public IAsyncEnumerable<int> AddEachAsync(int offset, IAsyncEnumerable<int> values, CancellationToken ct = default)
    {
        RpcOutgoingCall call = _invoker.StartCall(StreamingMethods.AddEach, ct);
        try { RpcWriter writer = call.CreateArgumentWriter(); writer.WriteValue(offset); writer.Flush(); }
        catch { call.Abandon(); throw; }
        return call.InvokeDuplexStreaming<int, int>(values);
    }
}
