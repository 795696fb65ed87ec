using System;
using Rpc.Protocol;
using Rpc.Serialization;

namespace Rpc.Client;

/// <summary>
/// The first half of the client's one send path, shared by unary, one-way and streaming calls: readies a request
/// whose arguments are written for the wire. The second half is <see cref="RpcClientConnection"/>'s queueing of it.
/// </summary>
internal static class RpcRequestPreparation
{
    /// <summary>
    /// Puts the call context's prefix (deadline, request headers) in front of the arguments, checks the frame
    /// against the size limit and, with <paramref name="armDeadline"/>, starts the deadline timer. Returns why the
    /// call cannot be sent; <paramref name="flags"/> announce what the prefix holds.
    /// </summary>
    public static RpcException? Prepare(RpcFrameBuffer request, RpcClientCallContext? context, RpcMethodDescriptor method, RpcClientSettings settings,
        RpcSerializerOptions options, bool armDeadline, out RpcFrameFlags flags)
    {
        flags = RpcFrameFlags.None;
        TimeSpan? timeout = null;
        if (context is not null && context.WritePrefix(request, options, settings.MaxMetadataSize, ref flags, out timeout) is { } failure)
        {
            return failure;
        }
        if (request.PayloadLength > settings.MaxFrameSize)
        {
            return new RpcException(RpcStatusCode.ResourceExhausted, $"The request to {method} is {request.PayloadLength} bytes, over the MaxFrameSize of {settings.MaxFrameSize} bytes.");
        }
        if (armDeadline && timeout is { } due)
        {
            // Armed before the call is in its connection's table; a timer that fires first marks the deadline as
            // passed, which the queueing step checks.
            context!.ArmDeadline(due);
        }
        return null;
    }
}
