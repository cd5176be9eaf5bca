using System.Text;
using System.Text.Json.Nodes;

namespace Tether.IntegrationTests.Update;

/// <summary>
/// <c>tether update --manifest --signature --file</c> with the published binary (docs/protocol.md §10):
/// each refusal on its own (exit 1, the reason, an audit line, nothing changed), and an install
/// of a real higher NativeAOT build.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UpdateByHandTests
{
    [Fact]
    public void Refused_BadSignature()
    {
        using var box = Box();
        var (manifest, _) = box.Manifest([1, 2, 3], HigherBuild.NextVersion);
        var (_, otherSignature) = box.Manifest([9], HigherBuild.NextVersion);
        AssertRefused(box, manifest, otherSignature, box.Binary, "bad signature");
    }

    [Fact]
    public void Refused_ForeignTarget()
    {
        using var box = Box();
        var (manifest, signature) = box.Manifest([1, 2, 3], HigherBuild.NextVersion, target: "linux-arm64");
        AssertRefused(box, manifest, signature, box.Binary, "foreign target: the manifest is for linux-arm64, this agent is linux-x64");
    }

    [Fact]
    public void Refused_VersionNotNewer()
    {
        using var box = Box();
        var (manifest, signature) = box.Manifest([1, 2, 3], HigherBuild.CurrentVersion);
        AssertRefused(box, manifest, signature, box.Binary, $"version {HigherBuild.CurrentVersion} is not newer than the running {HigherBuild.CurrentVersion}");
    }

    [Fact]
    public void Refused_ExpiredManifest()
    {
        using var box = Box();
        var (manifest, signature) = box.Manifest([1, 2, 3], HigherBuild.NextVersion, notAfter: DateTimeOffset.UtcNow.AddMinutes(-1));
        AssertRefused(box, manifest, signature, box.Binary, "expired manifest");
    }

    [Fact]
    public void Refused_SizeMismatch()
    {
        using var box = Box();
        string file = Path.Join(box.Root, "release");
        File.WriteAllBytes(file, Encoding.ASCII.GetBytes("#!/bin/sh\nexit 0\n"));
        var (manifest, signature) = box.Manifest(File.ReadAllBytes(file), HigherBuild.NextVersion, size: 5);
        AssertRefused(box, manifest, signature, file, "size mismatch");
    }

    [Fact]
    public void Refused_Sha256Mismatch()
    {
        using var box = Box();
        string file = Path.Join(box.Root, "release");
        File.WriteAllBytes(file, Encoding.ASCII.GetBytes("#!/bin/sh\nexit 0\n"));
        var (manifest, signature) = box.Manifest(File.ReadAllBytes(file), HigherBuild.NextVersion, sha256: new string('0', 64));
        AssertRefused(box, manifest, signature, file, "sha256 mismatch");
    }

    [Fact]
    public void Refused_OlderThanHighestEverInstalled()
    {
        using var box = Box();
        Directory.CreateDirectory(Path.Join(box.StateDirectory, "update"));
        File.WriteAllText(Path.Join(box.StateDirectory, "update", "state.json"), """{"highestVersion":"99.0.0","rolledBack":[]}""");
        var (manifest, signature) = box.Manifest([1, 2, 3], HigherBuild.NextVersion);
        AssertRefused(box, manifest, signature, box.Binary, $"version {HigherBuild.NextVersion} is older than 99.0.0, the highest ever installed here (anti-rollback)");
    }

    [Fact]
    public void Refused_UpdatesDisabledWithoutKeys()
    {
        using var box = new UpdateSandbox();
        box.WriteConfig(box.Config(withKey: false));
        var (manifest, signature) = box.Manifest([1, 2, 3], HigherBuild.NextVersion);
        AssertRefused(box, manifest, signature, box.Binary, "updates are disabled (update.publicKeys is empty)");
    }

    [Fact]
    public void Failed_SelfTest_AFileThatCannotStartNeverReplacesTheBinary()
    {
        using var box = Box();
        string file = Path.Join(box.Root, "release");
        File.WriteAllBytes(file, Encoding.ASCII.GetBytes("#!/bin/sh\necho broken >&2\nexit 1\n"));
        var (manifest, signature) = box.Manifest(File.ReadAllBytes(file), HigherBuild.NextVersion);
        var (code, output) = box.UpdateByHand(manifest, signature, file);
        Assert.True(code == 1, output);
        Assert.Contains("self-test failed: the new file exited 1: broken", output, StringComparison.Ordinal);
        box.AssertUntouched();
        var audit = Assert.Single(box.AuditRecords());
        Assert.Equal("failed", audit.GetProperty("outcome").GetString());
    }

    [Fact]
    public void Failed_SelfTest_ABuildThatReportsAnotherVersion()
    {
        using var box = Box();
        // The running build itself, labelled as the next version: its self-test names the wrong version.
        var (manifest, signature) = box.Manifest(File.ReadAllBytes(box.Binary), HigherBuild.NextVersion);
        var (code, output) = box.UpdateByHand(manifest, signature, HigherBuild.Current);
        Assert.True(code == 1, output);
        Assert.Contains($"self-test failed: the new file did not report version {HigherBuild.NextVersion}", output, StringComparison.Ordinal);
        box.AssertUntouched();
    }

    [Fact]
    public async Task Installs_AHigherBuild_KeepsThePrevious_PutsItOnProbation()
    {
        string higher = await HigherBuild.PathAsync();
        using var box = Box();
        var (manifest, signature) = box.Manifest(File.ReadAllBytes(higher), HigherBuild.NextVersion);
        var (code, output) = box.UpdateByHand(manifest, signature, higher);
        Assert.True(code == 0, output);
        Assert.Contains($"installed {HigherBuild.NextVersion} over {HigherBuild.CurrentVersion}", output, StringComparison.Ordinal);
        Assert.Equal(UpdateSandbox.Hash(higher), UpdateSandbox.Hash(box.Binary));
        Assert.Equal(box.OriginalHash, UpdateSandbox.Hash(box.Previous));
        Assert.Equal(HigherBuild.NextVersion, HigherBuild.Version(box.Binary));
        Assert.Equal(HigherBuild.CurrentVersion, HigherBuild.Version(box.Previous));
        Assert.True(box.OnProbation);
        Assert.Equal(HigherBuild.NextVersion, box.State()!["highestVersion"]!.GetValue<string>());
        Assert.Equal(["tether", "tether.previous"], Directory.GetFiles(box.BinDirectory).Select(Path.GetFileName).Order());
        Assert.Equal("ok", Assert.Single(box.AuditRecords()).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task UnderSystemd_ANewBuildThatCannotConnect_IsRolledBack_AndExits75ForTheUnitToRestart()
    {
        string higher = await HigherBuild.PathAsync();
        using var box = new UpdateSandbox();
        box.WriteConfig(box.Config(probationSec: 1));
        var (manifest, signature) = box.Manifest(File.ReadAllBytes(higher), HigherBuild.NextVersion);
        var (code, output) = box.UpdateByHand(manifest, signature, higher);
        Assert.True(code == 0, output);

        // systemd starts the new build (INVOCATION_ID set); nothing listens at its server URL.
        var run = HigherBuild.Run("/usr/bin/env", ["INVOCATION_ID=update-test", box.Binary, "run", "--config", box.ConfigPath], box.Root, TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 75, run.Output);
        Assert.Equal(box.OriginalHash, UpdateSandbox.Hash(box.Binary));
        Assert.False(box.OnProbation);
        Assert.Equal([HigherBuild.NextVersion], box.State()!["rolledBack"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.True(File.Exists(Path.Join(box.StateDirectory, "update", "report.json")));
        var rolledBack = box.AuditRecords().Last();
        Assert.Equal("failed", rolledBack.GetProperty("outcome").GetString());
        Assert.StartsWith($"rolled back: {HigherBuild.NextVersion} did not reach hello_ack within 1 s", rolledBack.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    private static UpdateSandbox Box()
    {
        var box = new UpdateSandbox();
        box.WriteConfig(box.Config());
        return box;
    }

    private static void AssertRefused(UpdateSandbox box, byte[] manifest, byte[] signature, string file, string reason)
    {
        var (code, output) = box.UpdateByHand(manifest, signature, file);
        Assert.True(code == 1, output);
        Assert.Contains("refused: " + reason, output, StringComparison.Ordinal);
        box.AssertUntouched();
        var audit = Assert.Single(box.AuditRecords());
        Assert.Equal("refused", audit.GetProperty("outcome").GetString());
        Assert.Contains(reason, audit.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}
