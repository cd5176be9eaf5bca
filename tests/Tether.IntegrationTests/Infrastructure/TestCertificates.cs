using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tether.IntegrationTests.Infrastructure;

/// <summary>
/// A throwaway CA and a server certificate it signed (for 127.0.0.1, ::1 and localhost by
/// default), written as PEM files into a temporary folder that <see cref="Dispose"/> deletes.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private TestCertificates(string directory, X509Certificate2 ca, X509Certificate2 server, X509Certificate2? intermediate = null)
    {
        Directory = directory;
        CaCertificate = ca;
        ServerCertificate = server;
        IntermediateCertificate = intermediate;
    }

    public string Directory { get; }

    /// <summary><c>ca.pem</c>: the CA certificate, for the agent's <c>transport.caFile</c>.</summary>
    public string CaPemPath => Path.Combine(Directory, "ca.pem");

    /// <summary><c>server.pem</c>: the server certificate, for the peer's <c>--tls-cert</c>.</summary>
    public string ServerCertPemPath => Path.Combine(Directory, "server.pem");

    /// <summary><c>server-key.pem</c>: PKCS#8 private key, for the peer's <c>--tls-key</c>.</summary>
    public string ServerKeyPemPath => Path.Combine(Directory, "server-key.pem");

    /// <summary>The CA certificate (public part only).</summary>
    public X509Certificate2 CaCertificate { get; }

    /// <summary>The server certificate (public part only).</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>The intermediate CA between <see cref="CaCertificate"/> and the server, when made by <see cref="CreateWithIntermediate"/>.</summary>
    public X509Certificate2? IntermediateCertificate { get; }

    /// <summary><c>ca-and-intermediate.pem</c>: the CA followed by the intermediate (only with an intermediate).</summary>
    public string CaAndIntermediatePemPath => Path.Combine(Directory, "ca-and-intermediate.pem");

    /// <summary>Peer options that serve TLS with these certificates.</summary>
    public PeerOptions ApplyTo(PeerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options with { TlsCertPath = ServerCertPemPath, TlsKeyPath = ServerKeyPemPath };
    }

    /// <param name="dnsNames">Subject alternative DNS names; default <c>localhost</c>.</param>
    /// <param name="ipAddresses">Subject alternative IPs; default 127.0.0.1 and ::1.</param>
    /// <param name="notBefore">Default: an hour ago.</param>
    /// <param name="notAfter">Default: a day from now (pass a past time for an expired certificate).</param>
    public static TestCertificates Create(
        IEnumerable<string>? dnsNames = null,
        IEnumerable<IPAddress>? ipAddresses = null,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null)
    {
        var from = notBefore ?? DateTimeOffset.UtcNow.AddHours(-1);
        var until = notAfter ?? DateTimeOffset.UtcNow.AddDays(1);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Tether Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var caWithKey = caRequest.CreateSelfSigned(from.AddDays(-1), until.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames ?? ["localhost"])
        {
            san.AddDnsName(name);
        }

        foreach (var ip in ipAddresses ?? [IPAddress.Loopback, IPAddress.IPv6Loopback])
        {
            san.AddIpAddress(ip);
        }

        serverRequest.CertificateExtensions.Add(san.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(serverRequest.PublicKey, false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(caWithKey, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var server = serverRequest.Create(caWithKey, from, until, serial);

        var directory = System.IO.Directory.CreateTempSubdirectory("tether-certs-").FullName;
        var result = new TestCertificates(
            directory,
            X509CertificateLoader.LoadCertificate(caWithKey.RawData),
            X509CertificateLoader.LoadCertificate(server.RawData));
        try
        {
            File.WriteAllText(result.CaPemPath, caWithKey.ExportCertificatePem() + "\n");
            File.WriteAllText(result.ServerCertPemPath, server.ExportCertificatePem() + "\n");
            File.WriteAllText(result.ServerKeyPemPath, serverKey.ExportPkcs8PrivateKeyPem() + "\n");
        }
        catch
        {
            result.Dispose();
            throw;
        }

        return result;
    }

    /// <summary>
    /// A CA, an intermediate CA it signed, and a server certificate (127.0.0.1, localhost) the
    /// intermediate signed whose Authority Information Access names <paramref name="caIssuersUrl"/>
    /// as where its issuer can be downloaded. <c>server.pem</c> holds the server certificate
    /// alone, so a server using it does not send the intermediate.
    /// </summary>
    public static TestCertificates CreateWithIntermediate(Uri caIssuersUrl)
    {
        ArgumentNullException.ThrowIfNull(caIssuersUrl);
        var from = DateTimeOffset.UtcNow.AddHours(-1);
        var until = DateTimeOffset.UtcNow.AddDays(1);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Tether Test Root CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var caWithKey = caRequest.CreateSelfSigned(from.AddDays(-1), until.AddDays(1));

        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intermediateRequest = new CertificateRequest("CN=Tether Test Intermediate CA", intermediateKey, HashAlgorithmName.SHA256);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        intermediateRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(intermediateRequest.PublicKey, false));
        intermediateRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(caWithKey, true, false));
        using var intermediatePublic = intermediateRequest.Create(caWithKey, from.AddHours(-1), until.AddHours(1), NewSerial());
        using var intermediateWithKey = intermediatePublic.CopyWithPrivateKey(intermediateKey);

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(san.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(serverRequest.PublicKey, false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(intermediateWithKey, true, false));
        serverRequest.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(null, [caIssuersUrl.AbsoluteUri]));
        using var server = serverRequest.Create(intermediateWithKey, from, until, NewSerial());

        var directory = System.IO.Directory.CreateTempSubdirectory("tether-certs-").FullName;
        var result = new TestCertificates(
            directory,
            X509CertificateLoader.LoadCertificate(caWithKey.RawData),
            X509CertificateLoader.LoadCertificate(server.RawData),
            X509CertificateLoader.LoadCertificate(intermediatePublic.RawData));
        try
        {
            File.WriteAllText(result.CaPemPath, caWithKey.ExportCertificatePem() + "\n");
            File.WriteAllText(result.CaAndIntermediatePemPath, caWithKey.ExportCertificatePem() + "\n" + intermediatePublic.ExportCertificatePem() + "\n");
            File.WriteAllText(result.ServerCertPemPath, server.ExportCertificatePem() + "\n");
            File.WriteAllText(result.ServerKeyPemPath, serverKey.ExportPkcs8PrivateKeyPem() + "\n");
        }
        catch
        {
            result.Dispose();
            throw;
        }

        return result;
    }

    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return serial;
    }

    /// <summary>A client-side check that trusts this CA only (and the name check of TLS as usual).</summary>
    public RemoteCertificateValidationCallback CreateValidationCallback() => (_, certificate, _, errors) =>
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(CaCertificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    };

    public void Dispose()
    {
        CaCertificate.Dispose();
        ServerCertificate.Dispose();
        IntermediateCertificate?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
