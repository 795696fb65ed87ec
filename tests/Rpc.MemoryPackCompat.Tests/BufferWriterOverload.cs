using System.Buffers;
using Rpc.Serialization;

namespace Compat;

/// <summary>
/// Rpc's <c>Serialize(IBufferWriter&lt;byte&gt;, ...)</c>, whose bytes must be those of the array overload. The
/// writer's first byte is taken already, so the payload lands at an odd offset of the writer's buffer.
/// </summary>
public static class BufferWriterOverload
{
    public static byte[] Write<T>(T? value, RpcSerializerOptions options)
    {
        var writer = new ArrayBufferWriter<byte>(1);
        writer.Write<byte>([0xA5]);
        RpcSerializer.Serialize(writer, value, options);
        return writer.WrittenSpan[1..].ToArray();
    }
}
