using System.Text.Json.Nodes;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;
using Tether.Tests.Backup;

namespace Tether.IntegrationTests.Backup;

/// <summary>docs/protocol.md §5 remote mode: rsync over ssh to a real sshd on 127.0.0.2, host key checked.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RemoteBackupTests
{
    private static readonly string[] Globs = ["*.log", "cache/", "/top-only", "**/tmp/**", "[ab]*.txt", "dir/*.bin"];

    [Fact]
    public async Task RemoteBackup_ThroughARealSshd_EqualsLocalMode()
    {
        using var dir = new TempDirectory("tether-remote-");
        await using var sshd = await SshServer.StartAsync();
        string src = dir.Join("src");
        TestTree.Standard(src, largeBytes: 4 << 20);
        string remoteRoot = dir.Join("remote", "backups");
        string localRoot = dir.Join("local");
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(Config(peer, "rb1", sshd, sshd.KnownHostsFile, dir.Path));
        await BackupHarness.ReadyAsync(peer, "rb1");

        var remoteJob = BackupHarness.Job("remote-1", remoteRoot, [src], Globs, host: "127.0.0.2", user: "root", port: sshd.Port);
        await peer.EmitAsync("backup_plan", remoteJob, "rb1");
        var plan = (await peer.WaitForEventAsync("backup_plan", Waits.Event, r => BackupHarness.PlanId(r) == "remote-1")).Payload;
        int from = peer.RecordCount;
        await peer.EmitAsync("backup_start", remoteJob, "rb1");
        var complete = await BackupHarness.CompleteAsync(peer, "remote-1", TimeSpan.FromSeconds(60), from);
        BackupHarness.AssertPacing(peer, "remote-1", from);

        await peer.EmitAsync("backup_start", BackupHarness.Job("local-1", localRoot, [src], Globs), "rb1");
        await BackupHarness.CompleteAsync(peer, "local-1", Waits.Event);

        LocalCopierOracleAssert.SameTree(Path.Join(localRoot, "src"), Path.Join(remoteRoot, "src"));
        Assert.True(plan.GetProperty("totalFiles").GetInt32() > 5);
        Assert.Equal(plan.GetProperty("totalFiles").GetInt32(), plan.GetProperty("modifies").GetInt32());
        File.WriteAllText(Path.Join(src, "c.txt"), "changed after the first backup");
        await peer.EmitAsync("backup_plan", remoteJob.DeepClone(), "rb1");
        var replan = (await peer.WaitForEventAsync("backup_plan", Waits.Event, r => BackupHarness.PlanId(r) == "remote-1", from)).Payload;
        Assert.Equal(1, replan.GetProperty("modifies").GetInt32());
        Assert.Equal(["src/c.txt"], replan.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        Assert.True(complete.GetProperty("transferredBytes").GetInt64() >= 4 << 20);
        Assert.Contains(peer.Records, r => r.Index >= from && r.Event == "backup_progress" && BackupHarness.PlanId(r) == "remote-1");
    }

    [Fact]
    public async Task UnknownHostKey_IsRefusedAndNothingIsWritten()
    {
        using var dir = new TempDirectory("tether-hostkey-");
        await using var sshd = await SshServer.StartAsync();
        string src = dir.Join("src");
        new TestTree(src).File("a").File("b/c");
        string remoteRoot = dir.Join("remote");
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(Config(peer, "rb2", sshd, Path.Join(sshd.Directory, "wrong_known_hosts"), dir.Path));
        await BackupHarness.ReadyAsync(peer, "rb2");

        await peer.EmitAsync("backup_start", BackupHarness.Job("hk-1", remoteRoot, [src], host: "127.0.0.2", user: "root", port: sshd.Port), "rb2");
        string error = await BackupHarness.ErrorAsync(peer, "hk-1");

        Assert.Contains("Host key verification failed", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(remoteRoot));
    }

    [Fact]
    public async Task RemotePathsTheShellWouldSplit_AreRefused()
    {
        using var dir = new TempDirectory("tether-remote-quote-");
        string src = dir.Join("src");
        new TestTree(src).File("a");
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(BackupHarness.AllowRoots(peer.CreateAgentConfig("rb3"), dir.Path, "/tmp"));
        await BackupHarness.ReadyAsync(peer, "rb3");

        await peer.EmitAsync("backup_start", BackupHarness.Job("q-1", "/tmp/x y", [src], host: "127.0.0.2", user: "root", port: 2222), "rb3");
        Assert.Contains("split or expand", await BackupHarness.ErrorAsync(peer, "q-1"), StringComparison.Ordinal);
        await peer.EmitAsync("backup_start", BackupHarness.Job("q-2", "/tmp/$(id)", [src], host: "127.0.0.2", user: "root", port: 2222), "rb3");
        Assert.Contains("split or expand", await BackupHarness.ErrorAsync(peer, "q-2"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rsync  version 3.1.3  protocol version 31", "rsync is 3.1.3")]
    [InlineData("openrsync: protocol version 29", "rsync is openrsync")]
    public async Task AnRsyncTooOldForRemoteMode_IsNamed_BeforeAnythingConnects(string versionLine, string named)
    {
        using var dir = new TempDirectory("tether-old-rsync-");
        // An rsync that answers --version like macOS's or Ubuntu 20.04's and records any other call.
        string bin = dir.Join("bin");
        Directory.CreateDirectory(bin);
        string calls = dir.Join("calls");
        string rsync = Path.Join(bin, "rsync");
        File.WriteAllText(rsync, string.Join(
            '\n',
            "#!/bin/sh",
            $"if [ \"$1\" = --version ]; then printf '%s\\n' '{versionLine}'; exit 0; fi",
            $"echo \"$@\" >> '{calls}'",
            "exit 1",
            string.Empty));
        File.SetUnixFileMode(rsync, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string src = dir.Join("src");
        new TestTree(src).File("a");
        string remoteRoot = dir.Join("remote");

        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(new AgentOptions
        {
            Config = BackupHarness.AllowRoots(peer.CreateAgentConfig("rb4"), dir.Path),
            Environment = new Dictionary<string, string?> { ["PATH"] = bin + ":/usr/bin:/bin" },
        });
        await BackupHarness.ReadyAsync(peer, "rb4");

        var job = BackupHarness.Job("old-1", remoteRoot, [src], host: "127.0.0.2", user: "root", port: 2222);
        await peer.EmitAsync("backup_start", job, "rb4");
        string error = await BackupHarness.ErrorAsync(peer, "old-1");
        Assert.StartsWith("remote backups need rsync 3.2.3 or newer", error, StringComparison.Ordinal);
        Assert.Contains($"{rsync} is", error, StringComparison.Ordinal);
        Assert.Contains(named, error, StringComparison.Ordinal);

        int from = peer.RecordCount;
        await peer.EmitAsync("backup_plan", job.DeepClone(), "rb4");
        Assert.StartsWith("remote backups need rsync 3.2.3", await BackupHarness.ErrorAsync(peer, "old-1", from), StringComparison.Ordinal);

        Assert.False(File.Exists(calls), "rsync was never run for a transfer");
        Assert.False(Directory.Exists(remoteRoot));
    }

    private static JsonObject Config(PeerServer peer, string clientId, SshServer sshd, string knownHosts, string root)
    {
        var config = peer.CreateAgentConfig(clientId);
        config["backup"] = new JsonObject { ["sshKnownHostsFile"] = knownHosts, ["sshIdentityFile"] = sshd.IdentityFile };
        return BackupHarness.AllowRoots(config, root);
    }
}
