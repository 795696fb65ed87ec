using System;
using System.IO.Pipelines;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Transport;

namespace Rpc.Tests.Support;

/// <summary>
/// Forwards one connection to a server over the same kind of transport, and can cut it dead: the way to drop a
/// live connection from outside both ends.
/// </summary>
internal sealed class KillableProxy : IAsyncDisposable
{
    private readonly RpcTransportListener _listener;
    private readonly EndPoint _target;
    private RpcTransportConnection? _inbound;
    private RpcTransportConnection? _outbound;
    private Task _pumps = Task.CompletedTask;

    private KillableProxy(RpcTransportListener listener, EndPoint target)
    {
        _listener = listener;
        _target = target;
    }

    public EndPoint EndPoint => _listener.EndPoint;

    public static KillableProxy Start(TransportKind kind, EndPoint target)
    {
        var proxy = new KillableProxy(RpcTransport.Listen(TestHost.CreateEndPoint(kind)), target);
        _ = proxy.AcceptOneAsync();
        return proxy;
    }

    private async Task AcceptOneAsync()
    {
        RpcTransportConnection? inbound = await _listener.AcceptAsync();
        if (inbound is null)
        {
            return;
        }
        RpcTransportConnection outbound = await RpcTransport.ConnectAsync(_target, CancellationToken.None);
        _inbound = inbound;
        _outbound = outbound;
        _pumps = Task.WhenAll(PumpAsync(inbound.Input, outbound.Output), PumpAsync(outbound.Input, inbound.Output));
    }

    private static async Task PumpAsync(PipeReader from, PipeWriter to)
    {
        try
        {
            while (true)
            {
                ReadResult result = await from.ReadAsync();
                if (result.IsCanceled)
                {
                    return;
                }
                foreach (ReadOnlyMemory<byte> segment in result.Buffer)
                {
                    await to.WriteAsync(segment);
                }
                from.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception)
        {
        }
    }

    /// <summary>Drops both halves of the connection at once.</summary>
    public async Task KillAsync()
    {
        _inbound?.Input.CancelPendingRead();
        _outbound?.Input.CancelPendingRead();
        await _pumps.WaitAsync(TestHost.Timeout);
        if (_inbound is not null)
        {
            await _inbound.DisposeAsync();
        }
        if (_outbound is not null)
        {
            await _outbound.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        await _listener.DisposeAsync();
    }
}
