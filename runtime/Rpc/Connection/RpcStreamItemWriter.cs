using Rpc.Serialization;

namespace Rpc.Protocol;

/// <summary>Sends one stream item, either way: serialize, check the frame size, spend credit, queue.</summary>
internal static class RpcStreamItemWriter
{
    /// <summary>
    /// Writes <paramref name="item"/> as a StreamItem for <paramref name="callId"/>. Throws what the formatter
    /// throws, or <see cref="RpcException"/>(<see cref="RpcStatusCode.ResourceExhausted"/>) for an item over the
    /// frame size limit. False when the connection is closing. The caller has waited for credit.
    /// The frame is queued deferred (items produced back to back leave together): the pump calls
    /// <see cref="RpcFrameSender.Flush"/> before it waits for anything (see <see cref="FlushIfPending"/>).
    /// </summary>
    public static bool Send<T>(RpcConnection connection, RpcStreamSender window, RpcFrameBuffer buffer, RpcSerializerOptions options, uint callId, in T item, RpcMethodDescriptor method)
    {
        try
        {
            var writer = new RpcWriter(buffer, options);
            writer.WriteValue(item);
            writer.Flush();
        }
        catch
        {
            buffer.Clear();
            throw;
        }
        int length = buffer.PayloadLength;
        if (length > connection.MaxFrameSize)
        {
            buffer.Clear();
            throw new RpcException(RpcStatusCode.ResourceExhausted, $"A stream item of {method} is {length} bytes, over the MaxFrameSize of {connection.MaxFrameSize} bytes.");
        }
        RpcOutgoingFrame frame = buffer.Detach(RpcFrameType.StreamItem, RpcFrameFlags.None, callId, 0);
        window.OnSent(frame.Length);
        return connection.Sender.TryEnqueue(frame, deferSend: true);
    }

    /// <summary>Sends the deferred items when the pump is about to wait (what it waits for next is not done yet).</summary>
    public static void FlushIfPending(RpcConnection connection, bool nextIsCompleted)
    {
        if (!nextIsCompleted)
        {
            connection.Sender.Flush();
        }
    }
}
