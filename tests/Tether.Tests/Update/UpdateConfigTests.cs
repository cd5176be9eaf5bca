using System.Text.Json.Nodes;
using Tether.Config;
using Tether.Tests.Infrastructure;

namespace Tether.Tests.Update;

/// <summary>The <c>update</c> config section (docs/protocol.md §7, §10).</summary>
public sealed class UpdateConfigTests : IDisposable
{
    private readonly TempDirectory _dir = new("tether-update-config-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Defaults_UpdatesDisabled_NoDowngrade_Probation120()
    {
        var config = Load(null);
        Assert.True(config.Succeeded, config.Error);
        Assert.False(config.Config!.Update.Enabled);
        Assert.Empty(config.Config.Update.PublicKeys);
        Assert.False(config.Config.Update.AllowDowngrade);
        Assert.Equal(120, config.Config.Update.ProbationSec);
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void OpensslP256Key_IsAccepted()
    {
        var signer = new OpensslSigner(_dir.Path);
        var result = Load(new JsonObject { ["publicKeys"] = new JsonArray(signer.PublicKeyPem), ["allowDowngrade"] = true, ["probationSec"] = 5 });
        Assert.True(result.Succeeded, result.Error);
        Assert.True(result.Config!.Update.Enabled);
        Assert.True(result.Config.Update.AllowDowngrade);
        Assert.Equal(5, result.Config.Update.ProbationSec);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void NotAKey_IsAConfigError()
    {
        var result = Load(new JsonObject { ["publicKeys"] = new JsonArray("hello") });
        Assert.False(result.Succeeded);
        Assert.StartsWith("config: update.publicKeys[0] is not an ECDSA P-256 public key", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void P384Key_IsAConfigError()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        var result = Load(new JsonObject { ["publicKeys"] = new JsonArray(key.ExportSubjectPublicKeyInfoPem()) });
        Assert.False(result.Succeeded);
        Assert.Contains("384-bit", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(86401)]
    public void ProbationOutOfRange_IsAConfigError(int seconds)
    {
        var result = Load(new JsonObject { ["probationSec"] = seconds });
        Assert.False(result.Succeeded);
        Assert.Contains("update.probationSec", result.Error, StringComparison.Ordinal);
    }

    private ConfigLoadResult Load(JsonObject? update)
    {
        var root = new JsonObject { ["clientId"] = "c1", ["serverUrl"] = "https://dash.example.com", ["authToken"] = "token" };
        if (update is not null)
        {
            root["update"] = update;
        }

        _dir.Write("agent-config.json", root.ToJsonString());
        // The file holds authToken: owner-only, or the loader warns (docs/protocol.md §7).
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_dir.Join("agent-config.json"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return ConfigLoader.Load(new ConfigSources { WorkingDirectory = _dir.Path, HomeDirectory = "/home/agent" });
    }
}
