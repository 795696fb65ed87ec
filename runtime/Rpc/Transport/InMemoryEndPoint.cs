using System;
using System.Net;

namespace Rpc.Transport;

/// <summary>
/// The address of an in-process listener: a server listening on it and clients connecting to it talk through a
/// pair of <see cref="System.IO.Pipelines.Pipe"/>s, with no socket. Names are process-wide.
/// </summary>
public sealed class InMemoryEndPoint : EndPoint
{
    /// <summary>Creates the endpoint.</summary>
    public InMemoryEndPoint(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>The listener's name.</summary>
    public string Name { get; }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is InMemoryEndPoint other && other.Name == Name;

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    /// <inheritdoc />
    public override string ToString() => "inmemory:" + Name;
}
