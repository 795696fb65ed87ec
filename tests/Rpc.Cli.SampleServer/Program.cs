using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Rpc;
using Showcase;

// Serves IShowcase with description enabled on a loopback port and prints "listening <port>"; exits when stdin
// closes. With "--tls <file>", it serves TLS with a fresh self-signed certificate whose PEM it writes to <file>.
var options = new RpcServerOptions { EnableDescription = true };
if (args is ["--tls", string certificateFile])
{
    X509Certificate2 certificate = SelfSigned();
    File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
    options.Tls = new SslServerAuthenticationOptions { ServerCertificate = certificate };
}
await using var server = new RpcServer(options);
server.AddService<IShowcase>(new Showcase.Showcase());
var bound = (IPEndPoint)await server.ListenAsync(new IPEndPoint(IPAddress.Loopback, 0));
Console.WriteLine($"listening {bound.Port}");
await Console.In.ReadToEndAsync();

static X509Certificate2 SelfSigned()
{
    using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
    var names = new SubjectAlternativeNameBuilder();
    names.AddDnsName("localhost");
    names.AddIpAddress(IPAddress.Loopback);
    request.CertificateExtensions.Add(names.Build());
    request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
    request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
    using X509Certificate2 made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    // A PKCS#12 round trip gives the certificate a key every TLS backend can use.
    return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
}
