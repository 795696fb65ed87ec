using System.Threading;
using System.Threading.Tasks;
using Rpc.Client;
using Rpc.Serialization;

namespace Rpc.Tests.Manual;

/// <summary>Hand-written stand-in for the generated proxy: every method is what the generator emits.</summary>
internal sealed class CalculatorServiceProxy : ICalculatorService
{
    private readonly IRpcCallInvoker _invoker;

    public CalculatorServiceProxy(IRpcCallInvoker invoker) => _invoker = invoker;

    public ValueTask<int> AddAsync(int a, int b, CancellationToken ct = default)
    {
        RpcOutgoingCall call = _invoker.StartCall(CalculatorMethods.Add, ct);
        try { RpcWriter writer = call.CreateArgumentWriter(); writer.WriteValue(a); writer.WriteValue(b); writer.Flush(); }
        catch { call.Abandon(); throw; }
        return call.InvokeAsync<int>();
    }

    public Task<string> EchoAsync(string text, CancellationToken ct = default)
    {
        RpcOutgoingCall call = _invoker.StartCall(CalculatorMethods.Echo, ct);
        try { RpcWriter writer = call.CreateArgumentWriter(); writer.WriteValue(text); writer.Flush(); }
        catch { call.Abandon(); throw; }
        return call.InvokeAsync<string>().AsTask();
    }

    public ValueTask SleepAsync(int milliseconds, CancellationToken ct = default)
    {
        RpcOutgoingCall call = _invoker.StartCall(CalculatorMethods.Sleep, ct);
        try { RpcWriter writer = call.CreateArgumentWriter(); writer.WriteValue(milliseconds); writer.Flush(); }
        catch { call.Abandon(); throw; }
        return call.InvokeAsync();
    }

    public ValueTask FailAsync(int statusCode, string message, CancellationToken ct = default)
    {
        RpcOutgoingCall call = _invoker.StartCall(CalculatorMethods.Fail, ct);
        try { RpcWriter writer = call.CreateArgumentWriter(); writer.WriteValue(statusCode); writer.WriteValue(message); writer.Flush(); }
        catch { call.Abandon(); throw; }
        return call.InvokeAsync();
    }

    public ValueTask ResetAsync()
    {
        RpcOutgoingCall call = _invoker.StartCall(CalculatorMethods.Reset, default);
        return call.InvokeAsync();
    }

    public ValueTask<byte[]> GetBytesAsync(int count, CancellationToken ct = default)
    {
        RpcOutgoingCall call = _invoker.StartCall(CalculatorMethods.GetBytes, ct);
        try { RpcWriter writer = call.CreateArgumentWriter(); writer.WriteValue(count); writer.Flush(); }
        catch { call.Abandon(); throw; }
        return call.InvokeAsync<byte[]>();
    }

    public ValueTask<int> BlockAsync(int milliseconds)
    {
        RpcOutgoingCall call = _invoker.StartCall(CalculatorMethods.Block, default);
        try { RpcWriter writer = call.CreateArgumentWriter(); writer.WriteValue(milliseconds); writer.Flush(); }
        catch { call.Abandon(); throw; }
        return call.InvokeAsync<int>();
    }

    public ValueTask NotifyAsync(string message)
    {
        RpcOutgoingCall call = _invoker.StartCall(CalculatorMethods.Notify, default);
        try { RpcWriter writer = call.CreateArgumentWriter(); writer.WriteValue(message); writer.Flush(); }
        catch { call.Abandon(); throw; }
        return call.SendOneWayAsync();
    }
}
