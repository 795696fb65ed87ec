using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Rpc.Hosting;

/// <summary>
/// Reads the endpoint strings of configuration: <c>tcp://host:port</c> (an IP address, <c>[IPv6]</c>, <c>*</c> for
/// every interface, or a host name resolved when used) and <c>unix:/path</c> (a Unix domain socket).
/// </summary>
/// <remarks>Kept small and internal on purpose: a public parser (<c>Rpc.Discovery.RpcEndPointParser</c>) is meant to replace it.</remarks>
internal static class RpcEndPointText
{
    private const string TcpPrefix = "tcp://";
    private const string UnixPrefix = "unix:";

    /// <summary>The forms accepted, for error messages.</summary>
    public const string Forms = "\"tcp://host:port\" (e.g. \"tcp://127.0.0.1:5050\", \"tcp://*:5050\", \"tcp://[::1]:5050\") or \"unix:/path/to/socket\"";

    /// <summary>
    /// Parses <paramref name="text"/> into an <see cref="IPEndPoint"/>, a <see cref="UnixDomainSocketEndPoint"/>
    /// or, for a host name, a <see cref="DnsEndPoint"/> that <see cref="ResolveAsync"/> turns into an address.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out EndPoint? endPoint, [NotNullWhen(false)] out string? error)
    {
        endPoint = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = $"the endpoint is empty; expected {Forms}";
            return false;
        }
        if (text.StartsWith(UnixPrefix, StringComparison.OrdinalIgnoreCase))
        {
            string path = text.Substring(UnixPrefix.Length);
            // "unix:///tmp/s" is accepted too, as in URIs.
            if (path.StartsWith("//", StringComparison.Ordinal))
            {
                path = path.Substring(2);
            }
            if (path.Length == 0)
            {
                error = $"\"{text}\" has no socket path; expected \"unix:/path/to/socket\"";
                return false;
            }
            endPoint = new UnixDomainSocketEndPoint(path);
            error = null;
            return true;
        }
        if (!text.StartsWith(TcpPrefix, StringComparison.OrdinalIgnoreCase))
        {
            error = $"\"{text}\" has no known scheme; expected {Forms}";
            return false;
        }

        string hostAndPort = text.Substring(TcpPrefix.Length).TrimEnd('/');
        int colon = hostAndPort.LastIndexOf(':');
        if (colon <= 0 || (hostAndPort.StartsWith('[') && colon < hostAndPort.IndexOf(']')))
        {
            error = $"\"{text}\" has no port; expected \"tcp://host:port\"";
            return false;
        }
        string host = hostAndPort.Substring(0, colon);
        string portText = hostAndPort.Substring(colon + 1);
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > IPEndPoint.MaxPort)
        {
            error = $"\"{text}\" has port \"{portText}\", not a number from 0 to {IPEndPoint.MaxPort}";
            return false;
        }
        if (host == "*")
        {
            endPoint = new IPEndPoint(IPAddress.Any, port);
        }
        else if (host.StartsWith('[') && host.EndsWith(']'))
        {
            if (!IPAddress.TryParse(host.AsSpan(1, host.Length - 2), out IPAddress? v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = $"\"{text}\" has \"{host}\", not an IPv6 address";
                return false;
            }
            endPoint = new IPEndPoint(v6, port);
        }
        else if (IPAddress.TryParse(host, out IPAddress? address))
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                error = $"\"{text}\" has an IPv6 address without brackets; write \"tcp://[{host}]:{portText}\"";
                return false;
            }
            endPoint = new IPEndPoint(address, port);
        }
        else if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            // The IPv4 loopback, so that a server and a client both configured with "localhost" meet.
            endPoint = new IPEndPoint(IPAddress.Loopback, port);
        }
        else if (Uri.CheckHostName(host) == UriHostNameType.Dns)
        {
            endPoint = new DnsEndPoint(host, port);
        }
        else
        {
            error = $"\"{text}\" has \"{host}\", which is neither an IP address nor a host name";
            return false;
        }
        error = null;
        return true;
    }

    /// <summary>The address to listen on or connect to: a <see cref="DnsEndPoint"/> is resolved (its first address); others are returned as they are.</summary>
    public static async ValueTask<EndPoint> ResolveAsync(EndPoint endPoint, CancellationToken cancellationToken)
    {
        if (endPoint is not DnsEndPoint dns)
        {
            return endPoint;
        }
        IPAddress[] addresses = await Dns.GetHostAddressesAsync(dns.Host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new RpcException(RpcStatusCode.Unavailable, $"The host name \"{dns.Host}\" resolved to no address.");
        }
        // IPv4 first: it is what "tcp://*:port" listens on.
        IPAddress chosen = Array.Find(addresses, a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0];
        return new IPEndPoint(chosen, dns.Port);
    }

    /// <summary>The endpoint written back in the form <see cref="TryParse"/> reads (for logs and keys).</summary>
    public static string Format(EndPoint endPoint) => endPoint switch
    {
        UnixDomainSocketEndPoint unix => UnixPrefix + unix.ToString(),
        IPEndPoint ip => TcpPrefix + ip.ToString(),
        DnsEndPoint dns => TcpPrefix + dns.Host + ":" + dns.Port.ToString(CultureInfo.InvariantCulture),
        _ => endPoint.ToString() ?? endPoint.GetType().Name,
    };
}
