using System;

namespace Rpc;

/// <summary>
/// A call failed with a status. Thrown on the client for every failed call; thrown by a service to choose the
/// status, message and trailers its caller sees.
/// </summary>
public class RpcException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RpcException(RpcStatusCode statusCode, string message) : base(message) => StatusCode = statusCode;

    /// <summary>Creates the exception with an inner exception.</summary>
    public RpcException(RpcStatusCode statusCode, string message, Exception? innerException)
        : base(message, innerException) => StatusCode = statusCode;

    /// <summary>Creates the exception with trailers: a server that throws it sends them to the client with the status.</summary>
    public RpcException(RpcStatusCode statusCode, string message, RpcMetadata? trailers) : base(message)
    {
        StatusCode = statusCode;
        Trailers = trailers;
    }

    /// <summary>The call's status.</summary>
    public RpcStatusCode StatusCode { get; }

    /// <summary>
    /// Trailers: on the server, those to send with the error; on the client, those the server sent with it (its
    /// <see cref="RpcContext.ResponseTrailers"/> followed by the thrown exception's). Null when there are none.
    /// </summary>
    public RpcMetadata? Trailers { get; }

    /// <summary>The server's exception details, when the server chose to send them; otherwise null.</summary>
    public string? ServerDetail { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{GetType().FullName}: {StatusCode}: {Message}{(ServerDetail is null ? "" : Environment.NewLine + "--- server ---" + Environment.NewLine + ServerDetail)}{Environment.NewLine}{StackTrace}";
}
