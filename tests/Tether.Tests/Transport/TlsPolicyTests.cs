using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tether.Transport;

namespace Tether.Tests.Transport;

public sealed class TlsPolicyTests
{
    [Fact]
    public void ChainErrors_NoChain_IsNone() =>
        Assert.Equal(SslPolicyErrors.None, TlsPolicy.ChainErrors(null));

    [Fact]
    public void Callback_ReportedWithoutErrors_ButAChainWithStatuses_IsRefused()
    {
        // Wine's crypt32 reports a partial chain (issuer in no store) as trusted: SslStream then
        // passes SslPolicyErrors.None with a chain whose statuses say otherwise.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=nobody trusts me", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
        using var chain = new X509Chain { ChainPolicy = TlsPolicy.NewChainPolicy() };
        Assert.False(chain.Build(certificate));
        Assert.NotEmpty(chain.ChainStatus);

        Assert.Equal(SslPolicyErrors.RemoteCertificateChainErrors, TlsPolicy.ChainErrors(chain));
        Assert.False(TlsPolicy.Create(null, skipVerify: false)(this, certificate, chain, SslPolicyErrors.None));
        Assert.True(TlsPolicy.Create(null, skipVerify: true)(this, certificate, chain, SslPolicyErrors.None));
    }

    [Fact]
    public void Callback_TrustedChain_WithoutErrors_IsAccepted()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=trusted", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
        using var chain = new X509Chain { ChainPolicy = TlsPolicy.NewChainPolicy() };
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(certificate);
        Assert.True(chain.Build(certificate));

        Assert.True(TlsPolicy.Create(null, skipVerify: false)(this, certificate, chain, SslPolicyErrors.None));
    }
}
