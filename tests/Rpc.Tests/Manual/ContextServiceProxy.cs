using System.Threading;
using System.Threading.Tasks;
using Rpc.Client;
using Rpc.Serialization;

namespace Rpc.Tests.Manual;

/// <summary>Hand-written stand-in for the generated proxy of <see cref="IContextService"/>.</summary>
internal sealed class ContextServiceProxy : IContextService
{
    private readonly IRpcCallInvoker _invoker;

    public ContextServiceProxy(IRpcCallInvoker invoker) => _invoker = invoker;

    public ValueTask<string?> GetHeaderAsync(string key, CancellationToken ct = default)
    {
        RpcOutgoingCall call = _invoker.StartCall(ContextMethods.GetHeader, ct);
        try { RpcWriter writer = call.CreateArgumentWriter(); writer.WriteValue(key); writer.Flush(); }
        catch { call.Abandon(); throw; }
        return call.InvokeAsync<string?>();
    }

    public ValueTask<byte[]?> GetBinaryHeaderAsync(string key, CancellationToken ct = default)
    {
        RpcOutgoingCall call = _invoker.StartCall(ContextMethods.GetBinaryHeader, ct);
        try { RpcWriter writer = call.CreateArgumentWriter(); writer.WriteValue(key); writer.Flush(); }
        catch { call.Abandon(); throw; }
        return call.InvokeAsync<byte[]?>();
    }

    public ValueTask<string> AnnotateAsync(string servedBy, string cost, CancellationToken ct = default)
    {
        RpcOutgoingCall call = _invoker.StartCall(ContextMethods.Annotate, ct);
        try { RpcWriter writer = call.CreateArgumentWriter(); writer.WriteValue(servedBy); writer.WriteValue(cost); writer.Flush(); }
        catch { call.Abandon(); throw; }
        return call.InvokeAsync<string>();
    }

    public ValueTask FailWithTrailersAsync(int statusCode, string message, CancellationToken ct = default)
    {
        RpcOutgoingCall call = _invoker.StartCall(ContextMethods.FailWithTrailers, ct);
        try { RpcWriter writer = call.CreateArgumentWriter(); writer.WriteValue(statusCode); writer.WriteValue(message); writer.Flush(); }
        catch { call.Abandon(); throw; }
        return call.InvokeAsync();
    }

    public ValueTask<long> GetDeadlineAsync(CancellationToken ct = default)
    {
        RpcOutgoingCall call = _invoker.StartCall(ContextMethods.GetDeadline, ct);
        return call.InvokeAsync<long>();
    }

    public ValueTask<bool> HasContextAsync()
    {
        RpcOutgoingCall call = _invoker.StartCall(ContextMethods.HasContext, default);
        return call.InvokeAsync<bool>();
    }

    public ValueTask FireAndFailAsync(string message)
    {
        RpcOutgoingCall call = _invoker.StartCall(ContextMethods.FireAndFail, default);
        try { RpcWriter writer = call.CreateArgumentWriter(); writer.WriteValue(message); writer.Flush(); }
        catch { call.Abandon(); throw; }
        return call.SendOneWayAsync();
    }
}
