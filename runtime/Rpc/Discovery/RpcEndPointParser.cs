using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Rpc.Discovery;

/// <summary>
/// Turns the address strings people write in configuration and registries into <see cref="EndPoint"/>s, and
/// back. Understood forms:
/// <list type="bullet">
/// <item><c>host:port</c>, <c>tcp://host:port</c>, and <c>http://host:port</c> / <c>https://host:port</c> (the
/// scheme only says "TCP" here: the RPC protocol is the same whatever the label): an IP address gives an
/// <see cref="IPEndPoint"/>, a host name a <see cref="DnsEndPoint"/>. IPv6 addresses go in brackets,
/// <c>[::1]:5050</c>. The port is required.</item>
/// <item><c>unix:/path/to.sock</c> (also <c>unix:///path/to.sock</c>, and <c>unix:relative.sock</c>): a
/// <see cref="UnixDomainSocketEndPoint"/>.</item>
/// </list>
/// <see cref="Format"/> writes the canonical form, which <see cref="Parse"/> reads back to an equal endpoint.
/// </summary>
public static class RpcEndPointParser
{
    private const string UnixScheme = "unix:";

    /// <summary>Parses <paramref name="address"/>; see the type's summary for the forms understood.</summary>
    /// <exception cref="FormatException">The address is none of the understood forms; the message says why.</exception>
    public static EndPoint Parse(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return TryParse(address, out EndPoint? endPoint, out string? error)
            ? endPoint
            : throw new FormatException($"'{address}' is not an RPC address: {error}");
    }

    /// <summary>Parses <paramref name="address"/>, returning false instead of throwing when it is not understood.</summary>
    public static bool TryParse([NotNullWhen(true)] string? address, [NotNullWhen(true)] out EndPoint? endPoint) =>
        TryParse(address, out endPoint, out _);

    /// <summary>
    /// The canonical text of <paramref name="endPoint"/>: <c>127.0.0.1:5050</c>, <c>[::1]:5050</c>,
    /// <c>host:5050</c> or <c>unix:/path</c>; any other endpoint type gives its <see cref="object.ToString"/>.
    /// It is the default <see cref="RpcServiceInstance.Id"/>.
    /// </summary>
    public static string Format(EndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        return endPoint switch
        {
            IPEndPoint ip => ip.ToString(), // "[::1]:5050" for IPv6, "127.0.0.1:5050" for IPv4
            DnsEndPoint dns => dns.Host + ":" + dns.Port.ToString(CultureInfo.InvariantCulture),
            UnixDomainSocketEndPoint unix => UnixScheme + unix.ToString(),
            _ => endPoint.ToString() ?? endPoint.GetType().Name,
        };
    }

    private static bool TryParse(
        string? address,
        [NotNullWhen(true)] out EndPoint? endPoint,
        [NotNullWhen(false)] out string? error)
    {
        endPoint = null;
        if (string.IsNullOrWhiteSpace(address))
        {
            error = "the address is empty";
            return false;
        }

        string text = address.Trim();
        if (text.StartsWith(UnixScheme, StringComparison.OrdinalIgnoreCase))
        {
            return TryParseUnix(text.Substring(UnixScheme.Length), out endPoint, out error);
        }

        int schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            string scheme = text.Substring(0, schemeEnd).ToLowerInvariant();
            if (scheme is not ("tcp" or "http" or "https"))
            {
                error = $"the scheme '{scheme}' is not one of tcp, http, https, unix";
                return false;
            }

            text = text.Substring(schemeEnd + 3);
            // A trailing "/" or path (as in "http://host:80/") carries nothing for a socket address.
            int slash = text.IndexOf('/');
            if (slash >= 0)
            {
                text = text.Substring(0, slash);
            }
        }

        return TryParseHostAndPort(text, out endPoint, out error);
    }

    private static bool TryParseUnix(string path, [NotNullWhen(true)] out EndPoint? endPoint, [NotNullWhen(false)] out string? error)
    {
        // "unix:///tmp/a.sock" is the URI spelling of "unix:/tmp/a.sock".
        if (path.StartsWith("//", StringComparison.Ordinal))
        {
            path = path.Substring(2);
        }

        if (path.Length == 0)
        {
            endPoint = null;
            error = "a unix address needs a socket path after 'unix:'";
            return false;
        }

        try
        {
            endPoint = new UnixDomainSocketEndPoint(path);
            error = null;
            return true;
        }
        catch (ArgumentException e)
        {
            // Too long a path for sockaddr_un, or a NUL in it.
            endPoint = null;
            error = e.Message;
            return false;
        }
    }

    private static bool TryParseHostAndPort(string text, [NotNullWhen(true)] out EndPoint? endPoint, [NotNullWhen(false)] out string? error)
    {
        endPoint = null;
        string host;
        string portText;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']');
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                error = "an IPv6 address is written [address]:port";
                return false;
            }

            host = text.Substring(1, close - 1);
            portText = text.Substring(close + 2);
            if (!IPAddress.TryParse(host, out IPAddress? v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = $"'{host}' is not an IPv6 address";
                return false;
            }
        }
        else
        {
            int colon = text.LastIndexOf(':');
            if (colon < 0)
            {
                error = "the port is missing (write host:port)";
                return false;
            }

            host = text.Substring(0, colon);
            portText = text.Substring(colon + 1);
            if (host.Contains(':'))
            {
                error = "an IPv6 address must be written in brackets, [address]:port";
                return false;
            }
        }

        if (host.Length == 0)
        {
            error = "the host is missing";
            return false;
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) ||
            port < IPEndPoint.MinPort || port > IPEndPoint.MaxPort)
        {
            error = $"'{portText}' is not a port number (0-65535)";
            return false;
        }

        if (IPAddress.TryParse(host, out IPAddress? ip))
        {
            endPoint = new IPEndPoint(ip, port);
        }
        else if (Uri.CheckHostName(host) == UriHostNameType.Dns)
        {
            endPoint = new DnsEndPoint(host, port);
        }
        else
        {
            error = $"'{host}' is not a host name or IP address";
            return false;
        }

        error = null;
        return true;
    }
}
