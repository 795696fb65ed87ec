namespace Rpc;

/// <summary>The status of a finished call; the members and values are gRPC's.</summary>
public enum RpcStatusCode
{
    /// <summary>Success.</summary>
    OK = 0,
    /// <summary>The call was cancelled, typically by the caller.</summary>
    Cancelled = 1,
    /// <summary>An error with no better code; a server exception that is not an <see cref="RpcException"/> maps here.</summary>
    Unknown = 2,
    /// <summary>The caller passed an invalid argument.</summary>
    InvalidArgument = 3,
    /// <summary>The deadline expired before the call finished.</summary>
    DeadlineExceeded = 4,
    /// <summary>A requested entity was not found.</summary>
    NotFound = 5,
    /// <summary>The entity the caller tried to create exists.</summary>
    AlreadyExists = 6,
    /// <summary>The caller may not do this.</summary>
    PermissionDenied = 7,
    /// <summary>A resource (quota, memory, frame size) ran out.</summary>
    ResourceExhausted = 8,
    /// <summary>The system is not in the state the call needs.</summary>
    FailedPrecondition = 9,
    /// <summary>The call was aborted, typically by a concurrency conflict.</summary>
    Aborted = 10,
    /// <summary>The call went past a valid range.</summary>
    OutOfRange = 11,
    /// <summary>The method or service is not implemented by the server.</summary>
    Unimplemented = 12,
    /// <summary>An invariant broke inside the framework or the server.</summary>
    Internal = 13,
    /// <summary>The service is unavailable: the connection failed or closed. Usually transient.</summary>
    Unavailable = 14,
    /// <summary>Data was lost or corrupted.</summary>
    DataLoss = 15,
    /// <summary>The caller has no valid credentials.</summary>
    Unauthenticated = 16,
}
