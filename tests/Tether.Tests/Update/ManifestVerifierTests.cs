using System.Security.Cryptography;
using System.Text;
using Tether.Tests.Infrastructure;
using Tether.Update;

namespace Tether.Tests.Update;

/// <summary>Every refusal of docs/protocol.md §10 on its own, with signatures made by the real openssl.</summary>
public sealed class ManifestVerifierTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new("tether-manifest-");
    private readonly OpensslSigner _signer;

    public ManifestVerifierTests()
    {
        _signer = new OpensslSigner(_dir.Path);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Valid_IsAccepted_WithEveryField()
    {
        var manifest = Manifest(rollout: 30);
        var (verified, error) = ManifestVerifier.Verify(manifest, _signer.Sign(manifest), Context());
        Assert.Null(error);
        Assert.Equal("0.2.0", verified!.Version.Text);
        Assert.Equal(1234, verified.Size);
        Assert.Equal(30, verified.RolloutDelaySec);
        Assert.Equal(SHA256.HashData("file"u8.ToArray()), verified.Sha256);
    }

    [Fact]
    public void BadSignature_OtherKey_IsRefused()
    {
        var manifest = Manifest();
        var other = new OpensslSigner(Directory.CreateDirectory(_dir.Join("other")).FullName);
        Assert.StartsWith("bad signature", Refusal(manifest, other.Sign(manifest)), StringComparison.Ordinal);
    }

    [Fact]
    public void BadSignature_ManifestChangedAfterSigning_IsRefused()
    {
        var manifest = Manifest();
        var signature = _signer.Sign(manifest);
        var changed = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(manifest).Replace("0.2.0", "0.3.0", StringComparison.Ordinal));
        Assert.StartsWith("bad signature", Refusal(changed, signature), StringComparison.Ordinal);
    }

    [Fact]
    public void BadSignature_Garbage_IsRefused()
    {
        Assert.StartsWith("bad signature", Refusal(Manifest(), [1, 2, 3]), StringComparison.Ordinal);
        Assert.StartsWith("bad signature", Refusal(Manifest(), []), StringComparison.Ordinal);
    }

    [Fact]
    public void SecondKey_Verifies()
    {
        var other = new OpensslSigner(Directory.CreateDirectory(_dir.Join("second")).FullName);
        var manifest = Manifest();
        var (verified, error) = ManifestVerifier.Verify(manifest, other.Sign(manifest), Context() with { PublicKeys = [_signer.PublicKeyPem, other.PublicKeyPem] });
        Assert.Null(error);
        Assert.NotNull(verified);
    }

    [Fact]
    public void NoKeys_UpdatesDisabled()
    {
        var manifest = Manifest();
        var (_, error) = ManifestVerifier.Verify(manifest, _signer.Sign(manifest), Context() with { PublicKeys = [] });
        Assert.StartsWith("updates are disabled", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ForeignTarget_IsRefused() =>
        Assert.StartsWith("foreign target: the manifest is for win-x64", Signed(Manifest(target: "win-x64")), StringComparison.Ordinal);

    [Fact]
    public void Expired_IsRefused() =>
        Assert.StartsWith("expired manifest", Signed(Manifest(notAfter: Now.AddSeconds(-1))), StringComparison.Ordinal);

    [Theory]
    [InlineData("0.1.0")]
    [InlineData("0.0.9")]
    [InlineData("0.1.0-rc.1")]
    public void NotNewer_IsRefused(string version) =>
        Assert.Contains("is not newer than the running 0.1.0", Signed(Manifest(version: version)), StringComparison.Ordinal);

    [Fact]
    public void NotNewer_AllowedWithAllowDowngrade()
    {
        var manifest = Manifest(version: "0.0.9");
        var (verified, error) = ManifestVerifier.Verify(manifest, _signer.Sign(manifest), Context() with { AllowDowngrade = true });
        Assert.Null(error);
        Assert.Equal("0.0.9", verified!.Version.Text);
    }

    [Fact]
    public void OlderThanHighestEverInstalled_IsRefused_AntiRollback()
    {
        Assert.True(SemVersion.TryParse("0.3.0", out var highest));
        var manifest = Manifest(version: "0.2.0");
        var (_, error) = ManifestVerifier.Verify(manifest, _signer.Sign(manifest), Context() with { Highest = highest });
        Assert.Contains("older than 0.3.0, the highest ever installed here", error, StringComparison.Ordinal);
    }

    [Fact]
    public void RolledBackVersion_RefusedAutomatically_AllowedByHand()
    {
        var manifest = Manifest();
        var signature = _signer.Sign(manifest);
        var (_, error) = ManifestVerifier.Verify(manifest, signature, Context() with { RolledBack = ["0.2.0"] });
        Assert.Contains("was rolled back on this host", error, StringComparison.Ordinal);
        var (byHand, handError) = ManifestVerifier.Verify(manifest, signature, Context() with { RolledBack = ["0.2.0"], Automatic = false });
        Assert.Null(handError);
        Assert.NotNull(byHand);
    }

    [Theory]
    [InlineData("""{"target":"linux-x64","sha256":"SHA","size":1,"notAfter":"2030-01-01T00:00:00Z"}""", "manifest version")]
    [InlineData("""{"version":"0.2.0","sha256":"SHA","size":1,"notAfter":"2030-01-01T00:00:00Z"}""", "manifest target")]
    [InlineData("""{"version":"0.2.0","target":"linux-x64","sha256":"abc","size":1,"notAfter":"2030-01-01T00:00:00Z"}""", "manifest sha256")]
    [InlineData("""{"version":"0.2.0","target":"linux-x64","sha256":"SHA","size":0,"notAfter":"2030-01-01T00:00:00Z"}""", "manifest size")]
    [InlineData("""{"version":"0.2.0","target":"linux-x64","sha256":"SHA","size":1}""", "manifest notAfter")]
    [InlineData("""{"version":"0.2.0","target":"linux-x64","sha256":"SHA","size":1,"notAfter":"2030-01-01T00:00:00Z","rolloutDelaySec":-1}""", "manifest rolloutDelaySec")]
    [InlineData("""[1]""", "manifest is not valid JSON")]
    public void MissingOrBadFields_AreRefused(string json, string expected)
    {
        var manifest = Encoding.UTF8.GetBytes(json.Replace("SHA", new string('a', 64), StringComparison.Ordinal));
        Assert.StartsWith(expected, Refusal(manifest, _signer.Sign(manifest)), StringComparison.Ordinal);
    }

    private string Signed(byte[] manifest) => Refusal(manifest, _signer.Sign(manifest));

    private string Refusal(byte[] manifest, byte[] signature)
    {
        var (verified, error) = ManifestVerifier.Verify(manifest, signature, Context());
        Assert.Null(verified);
        return error!;
    }

    private ManifestVerifier.Context Context()
    {
        Assert.True(SemVersion.TryParse("0.1.0", out var running));
        return new ManifestVerifier.Context([_signer.PublicKeyPem], false, running, null, [], "linux-x64", Now, Automatic: true);
    }

    private static byte[] Manifest(string version = "0.2.0", string target = "linux-x64", DateTimeOffset? notAfter = null, int? rollout = null)
    {
        string sha = Convert.ToHexStringLower(SHA256.HashData("file"u8.ToArray()));
        string expiry = (notAfter ?? Now.AddDays(1)).ToString("o", System.Globalization.CultureInfo.InvariantCulture);
        string delay = rollout is { } r ? $",\n  \"rolloutDelaySec\": {r}" : string.Empty;
        return Encoding.UTF8.GetBytes($"{{\n  \"version\": \"{version}\",\n  \"target\": \"{target}\",\n  \"sha256\": \"{sha}\",\n  \"size\": 1234,\n  \"notAfter\": \"{expiry}\"{delay}\n}}\n");
    }
}
