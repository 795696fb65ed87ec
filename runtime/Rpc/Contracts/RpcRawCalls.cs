using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Client;
using Rpc.Serialization;

namespace Rpc.Contracts;

/// <summary>
/// Calls a method by descriptor with arguments already in wire form and hands back the result's wire bytes: what
/// a tool without a compiled contract (the <c>rpc</c> command-line client) calls through. Internal: the bytes are
/// only as right as the tool's reading of the contract.
/// </summary>
internal static class RpcRawCalls
{
    /// <summary>A unary call; the result's bytes, or null when the method has no result.</summary>
    public static async ValueTask<byte[]?> InvokeUnaryAsync(IRpcCallInvoker invoker, RpcMethodDescriptor method, ReadOnlyMemory<byte> arguments, bool hasResult, CancellationToken cancellationToken)
    {
        RpcOutgoingCall call = Start(invoker, method, arguments, cancellationToken);
        if (!hasResult)
        {
            await call.InvokeAsync().ConfigureAwait(false);
            return null;
        }
        RpcRawPayload result = await call.InvokeAsync<RpcRawPayload>().ConfigureAwait(false);
        return result.Bytes;
    }

    /// <summary>A one-way call: completes when the request is written.</summary>
    public static ValueTask SendOneWayAsync(IRpcCallInvoker invoker, RpcMethodDescriptor method, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken) =>
        Start(invoker, method, arguments, cancellationToken).SendOneWayAsync();

    /// <summary>A server-streaming call: each item's bytes as it arrives.</summary>
    public static async IAsyncEnumerable<byte[]> InvokeServerStreaming(IRpcCallInvoker invoker, RpcMethodDescriptor method, ReadOnlyMemory<byte> arguments, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        RpcOutgoingCall call = Start(invoker, method, arguments, cancellationToken);
        await foreach (RpcRawPayload item in call.InvokeServerStreaming<RpcRawPayload>().WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return item.Bytes;
        }
    }

    private static RpcOutgoingCall Start(IRpcCallInvoker invoker, RpcMethodDescriptor method, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        ArgumentNullException.ThrowIfNull(method);
        RpcFormatterProvider.TryRegister(RpcRawPayloadFormatter.Instance);
        RpcOutgoingCall call = invoker.StartCall(method, cancellationToken);
        if (arguments.Length > 0)
        {
            RpcWriter writer = call.CreateArgumentWriter();
            writer.WriteRawBytes(arguments.Span);
            writer.Flush();
        }
        return call;
    }

    /// <summary>A payload kept as bytes: whatever the reader has left.</summary>
    private readonly struct RpcRawPayload
    {
        public RpcRawPayload(byte[] bytes) => Bytes = bytes;

        public byte[] Bytes { get; }
    }

    private sealed class RpcRawPayloadFormatter : RpcFormatter<RpcRawPayload>
    {
        public static readonly RpcRawPayloadFormatter Instance = new();

        public override void Serialize(ref RpcWriter writer, scoped in RpcRawPayload value) => writer.WriteRawBytes(value.Bytes);

        public override RpcRawPayload Deserialize(ref RpcReader reader) => new(reader.ReadRawBytes(reader.Remaining).ToArray());
    }
}
