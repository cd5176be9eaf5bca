using System.Text.Json.Nodes;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;
using Tether.Tests.Backup;

namespace Tether.IntegrationTests.Backup;

/// <summary>
/// docs/protocol.md §5 and §7 limits around backups: no allowed roots = no backups; rsync and ssh
/// never see the agent's environment; <c>backup.maxConcurrent</c> jobs at most.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BackupPolicyTests
{
    [Fact]
    public async Task WithoutAllowedRoots_EveryBackupIsRefused_AndNothingIsWritten()
    {
        using var dir = new TempDirectory("tether-noroots-");
        string src = dir.Join("src");
        new TestTree(src).File("a").File("b/c");
        string dest = dir.Join("dest");
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(peer.CreateAgentConfig("pol1"));
        await BackupHarness.ReadyAsync(peer, "pol1");

        foreach (var (ev, host) in new[] { ("backup_plan", string.Empty), ("backup_start", string.Empty), ("backup_start", "127.0.0.2") })
        {
            int from = peer.RecordCount;
            await peer.EmitAsync(ev, BackupHarness.Job("none-1", dest, [src], host: host, user: "root"), "pol1");
            string error = await BackupHarness.ErrorAsync(peer, "none-1", from);
            Assert.Contains("backup.allowedSourceRoots", error, StringComparison.Ordinal);
        }

        Assert.False(Directory.Exists(dest));
        Assert.Contains(agent.ReadAuditRecords(), r => r.GetProperty("action").GetString() == "backup_start" && r.GetProperty("outcome").GetString() == "refused");
    }

    [Fact]
    public async Task RsyncAndSsh_GetAMinimalEnvironment_NeverTheAgentsAuthToken()
    {
        using var dir = new TempDirectory("tether-rsync-env-");
        var rsync = FakeRsync.Create(dir);
        string src = dir.Join("src");
        new TestTree(src).File("a");
        await using var peer = await PeerServer.StartAsync();
        var config = BackupHarness.AllowRoots(peer.CreateAgentConfig("pol2"), dir.Path);
        string token = config["authToken"]!.GetValue<string>();
        await using var agent = await AgentProcess.StartAsync(new AgentOptions
        {
            Config = config,
            Environment = new Dictionary<string, string?>
            {
                ["PATH"] = rsync.Bin + ":/usr/bin:/bin",
                ["AUTH_TOKEN"] = token,
                ["RSYNC_RSH"] = "touch " + dir.Join("rsh-ran"),
                ["LD_PRELOAD"] = dir.Join("nothing.so"),
            },
        });
        await BackupHarness.ReadyAsync(peer, "pol2");

        File.WriteAllText(rsync.Release, string.Empty);
        await peer.EmitAsync("backup_start", BackupHarness.Job("env-1", dir.Join("remote"), [src], host: "127.0.0.2", user: "root", port: 2222), "pol2");
        await BackupHarness.CompleteAsync(peer, "env-1", Waits.Event);

        var env = File.ReadAllLines(rsync.EnvFile).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty);
        Assert.DoesNotContain(env, kv => kv.Value.Contains(token, StringComparison.Ordinal));
        Assert.False(env.ContainsKey("AUTH_TOKEN"));
        Assert.False(env.ContainsKey("RSYNC_RSH"));
        Assert.False(env.ContainsKey("LD_PRELOAD"));
        Assert.Equal("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", env["PATH"]);
        Assert.Equal("C", env["LC_ALL"]);
    }

    [Fact]
    public async Task ASecondJobWhileOneRuns_IsRefusedAsBusy_AndRunsOnceTheFirstEnded()
    {
        using var dir = new TempDirectory("tether-busy-");
        var rsync = FakeRsync.Create(dir);
        string src = dir.Join("src");
        new TestTree(src).File("a");
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(new AgentOptions
        {
            Config = BackupHarness.AllowRoots(peer.CreateAgentConfig("pol3"), dir.Path),
            Environment = new Dictionary<string, string?> { ["PATH"] = rsync.Bin + ":/usr/bin:/bin" },
        });
        await BackupHarness.ReadyAsync(peer, "pol3");

        await peer.EmitAsync("backup_start", BackupHarness.Job("slow-1", dir.Join("remote"), [src], host: "127.0.0.2", user: "root", port: 2222), "pol3");
        await WaitForFileAsync(rsync.Started);
        var local = BackupHarness.Job("second-1", dir.Join("local"), [src]);
        await peer.EmitAsync("backup_start", local, "pol3");
        string error = await BackupHarness.ErrorAsync(peer, "second-1");

        Assert.StartsWith("busy", error, StringComparison.Ordinal);
        Assert.Contains("backup.maxConcurrent", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Join("local")));
        Assert.Contains(agent.ReadAuditRecords(), r => r.GetProperty("action").GetString() == "backup_start" && r.TryGetProperty("planId", out var p) && p.GetString() == "second-1" && r.GetProperty("reason").GetString() == "busy");

        File.WriteAllText(rsync.Release, string.Empty);
        await BackupHarness.CompleteAsync(peer, "slow-1", Waits.Event);
        int from = peer.RecordCount;
        await peer.EmitAsync("backup_start", local.DeepClone(), "pol3");
        await BackupHarness.CompleteAsync(peer, "second-1", Waits.Event, from);
        Assert.True(File.Exists(Path.Join(dir.Join("local"), "src", "a")));
    }

    private static async Task WaitForFileAsync(string path)
    {
        var deadline = DateTime.UtcNow + Waits.Event;
        while (!File.Exists(path))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{path} did not appear");
            await Task.Delay(10);
        }
    }

    /// <summary>An rsync that answers --version as 3.2.7, then records its environment, says it started, and waits for a release file.</summary>
    private sealed record FakeRsync(string Bin, string EnvFile, string Started, string Release)
    {
        public static FakeRsync Create(TempDirectory dir)
        {
            var fake = new FakeRsync(dir.Join("bin"), dir.Join("rsync-env"), dir.Join("rsync-started"), dir.Join("rsync-release"));
            Directory.CreateDirectory(fake.Bin);
            string rsync = Path.Join(fake.Bin, "rsync");
            File.WriteAllText(rsync, string.Join(
                '\n',
                "#!/bin/sh",
                "if [ \"$1\" = --version ]; then echo 'rsync  version 3.2.7  protocol version 31'; exit 0; fi",
                $"env > '{fake.EnvFile}'",
                $"touch '{fake.Started}'",
                $"i=0; while [ ! -e '{fake.Release}' ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done",
                "exit 0",
                string.Empty));
            File.SetUnixFileMode(rsync, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return fake;
        }
    }
}
