using System.Diagnostics;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;
using Tether.Tests.Backup;

namespace Tether.IntegrationTests.Backup;

/// <summary>docs/protocol.md §5/§7 failure paths: a full destination filesystem, SIGTERM during a copy.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BackupFailureTests
{
    [Fact]
    public async Task DestinationFilesystemFull_BackupErrorNamesIt_NoPartialFileUnderARealName()
    {
        using var dir = new TempDirectory("tether-full-");
        string mountPoint = dir.Join("small");
        Directory.CreateDirectory(mountPoint);
        Run("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", mountPoint);
        try
        {
            string src = dir.Join("src");
            var tree = new TestTree(src);
            for (int i = 0; i < 12; i++)
            {
                tree.File($"f{i:D2}.bin", 1 << 20);
            }

            await using var peer = await PeerServer.StartAsync();
            await using var agent = await AgentProcess.StartAsync(BackupHarness.AllowRoots(peer.CreateAgentConfig("bf1"), dir.Path));
            await BackupHarness.ReadyAsync(peer, "bf1");

            await peer.EmitAsync("backup_start", BackupHarness.Job("full-1", mountPoint, [src]), "bf1");
            string error = await BackupHarness.ErrorAsync(peer, "full-1");

            Assert.Contains("No space left on device", error, StringComparison.Ordinal);
            foreach (var file in Directory.EnumerateFiles(mountPoint, "*", SearchOption.AllDirectories))
            {
                Assert.False(file.EndsWith(Tether.Backup.LocalCopier.TempSuffix, StringComparison.Ordinal), $"temporary file left: {file}");
                Assert.Equal(File.ReadAllBytes(Path.Join(src, Path.GetFileName(file))), File.ReadAllBytes(file));
            }

            Assert.Contains(agent.ReadAuditRecords(), r => r.GetProperty("action").GetString() == "backup_end" && r.GetProperty("outcome").GetString() == "failed");
        }
        finally
        {
            Run("umount", "-l", mountPoint);
        }
    }

    [Fact]
    public async Task Sigterm_DuringACopy_SendsAgentShuttingDownAndRecordsTheState()
    {
        using var dir = new TempDirectory("tether-term-");
        string src = dir.Join("src");
        var tree = new TestTree(src);
        for (int i = 0; i < 4; i++)
        {
            tree.File($"big{i}.bin", 128 << 20);
        }

        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(BackupHarness.AllowRoots(peer.CreateAgentConfig("bf2"), dir.Path));
        await BackupHarness.ReadyAsync(peer, "bf2");
        await peer.EmitAsync("backup_start", BackupHarness.Job("term-1", dir.Join("dest"), [src]), "bf2");
        using (await PartialFiles.FreezeAgentAtFirstAsync(agent, dir.Join("dest")))
        {
            agent.SendSignal(15);
        }

        string error = await BackupHarness.ErrorAsync(peer, "term-1");

        Assert.Equal("agent shutting down", error);
        Assert.Contains("\"status\":\"interrupted\"", File.ReadAllText(Assert.Single(Directory.GetFiles(agent.StateDirectory, "backup-*.json"))), StringComparison.Ordinal);

        Assert.Equal(0, await agent.WaitForExitAsync(Waits.Event));
        Assert.Empty(Directory.EnumerateFiles(dir.Join("dest"), "*" + Tether.Backup.LocalCopier.TempSuffix, SearchOption.AllDirectories));
    }

    private static void Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{program} {string.Join(' ', args)} failed: {err}");
    }
}
