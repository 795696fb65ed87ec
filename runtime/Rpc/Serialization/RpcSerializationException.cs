using System;

namespace Rpc.Serialization;

/// <summary>
/// Thrown when a value cannot be written or a payload cannot be read: malformed or truncated bytes, a length that
/// the remaining input cannot hold, nesting deeper than <see cref="RpcSerializerOptions.MaxDepth"/>, a type with no
/// formatter, or a string that cannot be encoded. It is the only exception the readers throw for bad input.
/// </summary>
public sealed class RpcSerializationException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public RpcSerializationException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public RpcSerializationException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
