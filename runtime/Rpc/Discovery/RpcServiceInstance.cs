using System;
using System.Collections.Generic;
using System.Net;

namespace Rpc.Discovery;

/// <summary>
/// One running instance of a service, as a registry knows it: where it listens, how much traffic it should get
/// relative to its peers, and free-form metadata (zone, version, ...). Equality is by value, metadata included,
/// so two snapshots can be compared instance by instance.
/// </summary>
/// <param name="ServiceName">The service's name (the interface's full name, or the one given to
/// <c>[RpcService("name")]</c>). Not empty.</param>
/// <param name="EndPoint">The address clients connect to: an <see cref="IPEndPoint"/>, <see cref="DnsEndPoint"/>
/// or <see cref="System.Net.Sockets.UnixDomainSocketEndPoint"/>.</param>
public sealed record RpcServiceInstance(string ServiceName, EndPoint EndPoint)
{
    private static readonly IReadOnlyDictionary<string, string> NoMetadata =
        new Dictionary<string, string>(0, StringComparer.Ordinal);

    private readonly string _serviceName = CheckServiceName(ServiceName);
    private readonly EndPoint _endPoint = CheckEndPoint(EndPoint);
    // The canonical text of the endpoint, kept beside it (set again whenever EndPoint is, also by "with") so that
    // the default Id costs nothing to read and equality does not depend on EndPoint types' own Equals.
    private readonly string _address = RpcEndPointParser.Format(EndPoint);
    private readonly string? _id;
    private readonly int _weight = 100;
    private readonly IReadOnlyDictionary<string, string> _metadata = NoMetadata;

    /// <summary>The service's name; not empty.</summary>
    public string ServiceName
    {
        get => _serviceName;
        init => _serviceName = CheckServiceName(value);
    }

    /// <summary>The address clients connect to.</summary>
    public EndPoint EndPoint
    {
        get => _endPoint;
        init
        {
            _endPoint = CheckEndPoint(value);
            _address = RpcEndPointParser.Format(value);
        }
    }

    /// <summary>
    /// Unique among the instances of the service. Defaults to the endpoint's canonical text
    /// (<see cref="RpcEndPointParser.Format"/>: <c>127.0.0.1:5050</c>, <c>host:5050</c>, <c>unix:/path</c>), so
    /// two instances on one address are one instance. A registration with the Id of a live one replaces it.
    /// </summary>
    public string Id
    {
        get => _id ?? _address;
        init
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException("An instance's Id must not be empty.", nameof(Id));
            }

            _id = value;
        }
    }

    /// <summary>The instance's share of traffic relative to its peers' (weighted balancers); greater than 0, default 100.</summary>
    public int Weight
    {
        get => _weight;
        init => _weight = value > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Weight), value, "An instance's Weight must be greater than 0.");
    }

    /// <summary>
    /// Free-form key/value pairs registered with the instance (zone, version, ...); never null, empty by default.
    /// The record keeps its own copy, so changing the dictionary it was given later changes nothing.
    /// </summary>
    public IReadOnlyDictionary<string, string> Metadata
    {
        get => _metadata;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Metadata));
            var copy = new Dictionary<string, string>(value.Count, StringComparer.Ordinal);
            foreach (KeyValuePair<string, string> pair in value)
            {
                if (pair.Key is null || pair.Value is null)
                {
                    throw new ArgumentException("Metadata keys and values must not be null.", nameof(Metadata));
                }

                copy.Add(pair.Key, pair.Value);
            }

            _metadata = copy;
        }
    }

    /// <summary>True when both describe the same instance: the same name, address, Id, weight and metadata.</summary>
    public bool Equals(RpcServiceInstance? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null ||
            !string.Equals(_serviceName, other._serviceName, StringComparison.Ordinal) ||
            !string.Equals(_address, other._address, StringComparison.Ordinal) ||
            !string.Equals(Id, other.Id, StringComparison.Ordinal) ||
            _weight != other._weight ||
            _metadata.Count != other._metadata.Count)
        {
            return false;
        }

        foreach (KeyValuePair<string, string> pair in _metadata)
        {
            if (!other._metadata.TryGetValue(pair.Key, out string? value) ||
                !string.Equals(pair.Value, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override int GetHashCode() =>
        HashCode.Combine(StringComparer.Ordinal.GetHashCode(_serviceName), StringComparer.Ordinal.GetHashCode(Id), _weight);

    private static string CheckServiceName(string serviceName)
    {
        if (string.IsNullOrWhiteSpace(serviceName))
        {
            throw new ArgumentException("A service name must not be empty.", nameof(ServiceName));
        }

        return serviceName;
    }

    private static EndPoint CheckEndPoint(EndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint, nameof(EndPoint));
        return endPoint;
    }
}
