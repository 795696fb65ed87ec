using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Discovery;

namespace Rpc.Cli;

/// <summary>What every command needs to reach a server: the address, TLS, headers and a timeout.</summary>
internal sealed record CliConnection(
    string Address,
    string[] Headers,
    string? Timeout,
    bool Tls,
    bool Insecure,
    string? CaFile,
    string? CertFile,
    string? KeyFile)
{
    public async Task<RpcClient> ConnectAsync(CancellationToken cancellationToken)
    {
        EndPoint endPoint;
        try
        {
            endPoint = RpcEndPointParser.Parse(Address);
        }
        catch (FormatException ex)
        {
            throw new CliException($"'{Address}' is not an address: {ex.Message}");
        }
        var options = new RpcClientOptions { ConnectTimeout = TimeoutValue ?? TimeSpan.FromSeconds(10) };
        if (Tls || Insecure || CaFile is not null || CertFile is not null)
        {
            options.Tls = CreateTls(endPoint);
        }
        try
        {
            return await RpcClient.ConnectAsync(endPoint, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or TimeoutException or AuthenticationException)
        {
            throw new CliException($"cannot connect to {Address}: {ex.Message}");
        }
    }

    /// <summary>The call options every call of the command runs under: the headers and the timeout.</summary>
    public RpcCallOptions CallOptions()
    {
        var headers = new RpcMetadata();
        foreach (string header in Headers)
        {
            int equals = header.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliException($"--header '{header}' is not key=value.");
            }
            headers.Add(header.Substring(0, equals), header.Substring(equals + 1));
        }
        return new RpcCallOptions { Headers = headers.Count > 0 ? headers : null, Timeout = TimeoutValue };
    }

    /// <summary><c>--timeout</c>: seconds (<c>5</c>, <c>2.5s</c>), milliseconds (<c>500ms</c>) or a time span (<c>00:01:00</c>).</summary>
    private TimeSpan? TimeoutValue
    {
        get
        {
            if (Timeout is null)
            {
                return null;
            }
            string text = Timeout.Trim();
            if (text.EndsWith("ms", StringComparison.Ordinal) && double.TryParse(text[..^2], NumberStyles.Float, CultureInfo.InvariantCulture, out double ms))
            {
                return TimeSpan.FromMilliseconds(ms);
            }
            if (double.TryParse(text.TrimEnd('s'), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
            {
                return TimeSpan.FromSeconds(seconds);
            }
            if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan span))
            {
                return span;
            }
            throw new CliException($"--timeout '{Timeout}' is not a duration: give seconds (5, 2.5s), milliseconds (500ms) or hh:mm:ss.");
        }
    }

    private SslClientAuthenticationOptions CreateTls(EndPoint endPoint)
    {
        var tls = new SslClientAuthenticationOptions
        {
            TargetHost = endPoint switch
            {
                DnsEndPoint dns => dns.Host,
                IPEndPoint ip => ip.Address.ToString(),
                _ => "localhost",
            },
        };
        if (Insecure)
        {
            tls.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (CaFile is not null)
        {
            X509Certificate2 authority = LoadCertificate(CaFile, keyFile: null, "--ca");
            tls.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                {
                    return false;
                }
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(authority);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(certificate));
            };
        }
        if (CertFile is not null)
        {
            tls.ClientCertificates = new X509CertificateCollection { LoadCertificate(CertFile, KeyFile, "--cert") };
        }
        return tls;
    }

    private static X509Certificate2 LoadCertificate(string path, string? keyFile, string option)
    {
        try
        {
            string extension = Path.GetExtension(path).ToLowerInvariant();
            if (extension is ".pfx" or ".p12")
            {
                return X509CertificateLoader.LoadPkcs12FromFile(path, password: null);
            }
            if (option == "--ca")
            {
                return X509CertificateLoader.LoadCertificateFromFile(path);
            }
            return X509Certificate2.CreateFromPemFile(path, keyFile);
        }
        catch (Exception ex) when (ex is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
        {
            throw new CliException($"{option} {path}: {ex.Message}");
        }
    }
}
