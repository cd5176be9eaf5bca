using System.Text.Json;
using System.Text.Json.Nodes;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;
using Tether.Tests.Backup;

namespace Tether.IntegrationTests.Backup;

/// <summary>docs/protocol.md §5 local mode through the real peer: plan, start, progress, resume after SIGKILL, allowed roots.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LocalBackupTests
{
    private static readonly string[] Globs = ["*.log", "cache/", "/top-only", "**/tmp/**", "[ab]*.txt", "dir/*.bin"];

    [Fact]
    public async Task PlanThenStart_CopiesLikeRsyncWithProgressAndAudit()
    {
        using var dir = new TempDirectory("tether-backup-");
        string src = dir.Join("data", "src");
        TestTree.Standard(src, largeBytes: 8 << 20);
        string destRoot = dir.Join("dest");
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(BackupHarness.AllowRoots(peer.CreateAgentConfig("bk1"), dir.Path));
        await BackupHarness.ReadyAsync(peer, "bk1");

        var job = BackupHarness.Job("plan-1", destRoot, [src], Globs);
        await peer.EmitAsync("backup_plan", job, "bk1");
        var plan = (await peer.WaitForEventAsync("backup_plan", Waits.Event, r => BackupHarness.PlanId(r) == "plan-1")).Payload;
        string rsyncDest = dir.Join("rsync");
        RsyncOracle.Copy(src, rsyncDest, Globs);
        var expectedFiles = Directory.EnumerateFiles(rsyncDest, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }).ToList();
        var listed = plan.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).ToHashSet();
        var expectedListed = expectedFiles.Select(f => "src/" + Path.GetRelativePath(rsyncDest, f)).ToHashSet();
        Assert.True(expectedListed.SetEquals(listed), $"only rsync [{string.Join(" | ", expectedListed.Except(listed))}] only plan [{string.Join(" | ", listed.Except(expectedListed))}]");
        Assert.Equal(expectedFiles.Count, plan.GetProperty("totalFiles").GetInt32());
        Assert.Equal(expectedFiles.Sum(f => new FileInfo(f).Length), plan.GetProperty("totalBytes").GetInt64());
        Assert.Equal(expectedFiles.Count, plan.GetProperty("modifies").GetInt32());
        Assert.Equal(expectedFiles.Count, plan.GetProperty("files").GetArrayLength());
        Assert.Equal("plan-1", plan.GetProperty("job").GetProperty("planId").GetString());
        Assert.False(Directory.Exists(destRoot));

        int from = peer.RecordCount;
        await peer.EmitAsync("backup_start", job, "bk1");
        var complete = await BackupHarness.CompleteAsync(peer, "plan-1", Waits.Event, from);
        BackupHarness.AssertPacing(peer, "plan-1", from);

        Assert.True(complete.GetProperty("ok").GetBoolean());
        Assert.True(expectedFiles.Count == complete.GetProperty("files").GetInt32(), complete.ToString() + agent.Describe(40));
        LocalCopierOracleAssert.SameTree(rsyncDest, Path.Join(destRoot, "src"));
        var progress = peer.Records.Where(r => r.Index >= from && r.Event == "backup_progress" && BackupHarness.PlanId(r) == "plan-1").ToList();
        Assert.NotEmpty(progress);
        Assert.All(progress.Where(p => p.Payload.GetProperty("op").GetString() != "plan"), p => Assert.Equal(expectedFiles.Count, p.Payload.GetProperty("totalFiles").GetInt32()));

        // A no-change re-run transfers nothing.
        from = peer.RecordCount;
        await peer.EmitAsync("backup_start", job, "bk1");
        var again = await BackupHarness.CompleteAsync(peer, "plan-1", Waits.Event, from);
        Assert.Equal(0, again.GetProperty("transferredBytes").GetInt64());

        var audit = agent.ReadAuditRecords().Where(r => r.TryGetProperty("planId", out var p) && p.GetString() == "plan-1").Select(r => r.GetProperty("action").GetString() + ":" + r.GetProperty("outcome").GetString()).ToList();
        Assert.Equal(["backup_start:ok", "backup_end:ok", "backup_start:ok", "backup_end:ok"], audit);
        Assert.Contains("\"status\":\"complete\"", File.ReadAllText(Assert.Single(Directory.GetFiles(agent.StateDirectory, "backup-*.json"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SigkillMidCopy_LeavesNoWrongFileUnderARealName_AndTheNextStartCompletes()
    {
        using var dir = new TempDirectory("tether-resume-");
        string src = dir.Join("src");
        var tree = new TestTree(src);
        for (int i = 0; i < 40; i++)
        {
            tree.File($"small/f{i:D3}", 4096);
        }

        tree.File("huge/a.bin", 500 << 20).File("huge/b.bin", 64 << 20).Freeze();
        string destRoot = dir.Join("dest");
        string stateDir = dir.Join("state");
        await using var peer = await PeerServer.StartAsync();
        var config = BackupHarness.AllowRoots(peer.CreateAgentConfig("bk2"), dir.Path);
        config["stateDir"] = stateDir;
        var job = BackupHarness.Job("plan-kill", destRoot, [src]);

        await using (var agent = await AgentProcess.StartAsync(config))
        {
            await BackupHarness.ReadyAsync(peer, "bk2");
            await peer.EmitAsync("backup_start", job, "bk2");
            using (await PartialFiles.FreezeAgentAtFirstAsync(agent, destRoot, nonEmpty: true))
            {
                agent.SendSignal(9);
            }

            await agent.WaitForExitAsync(Waits.Event);
        }

        Assert.DoesNotContain(peer.Records, r => r.Event == "backup_complete");
        foreach (var file in Directory.EnumerateFiles(destRoot, "*", SearchOption.AllDirectories))
        {
            if (file.EndsWith(Tether.Backup.LocalCopier.TempSuffix, StringComparison.Ordinal))
            {
                continue;
            }

            string relative = Path.GetRelativePath(Path.Join(destRoot, "src"), file);
            Assert.True(FilesEqual(Path.Join(src, relative), file), $"{relative} has a real name and the wrong content");
        }

        Assert.Contains("\"status\":\"running\"", File.ReadAllText(Assert.Single(Directory.GetFiles(stateDir, "backup-*.json"))), StringComparison.Ordinal);

        int from = peer.RecordCount;
        await using (var agent = await AgentProcess.StartAsync(config))
        {
            await peer.WaitForEventAsync("stats", Waits.Event, r => r.ClientId == "bk2", from);
            await peer.EmitAsync("backup_start", job, "bk2");
            await BackupHarness.CompleteAsync(peer, "plan-kill", TimeSpan.FromSeconds(120), from);
            BackupHarness.AssertPacing(peer, "plan-kill", from);
        }

        string rsyncDest = dir.Join("rsync");
        RsyncOracle.Copy(src, rsyncDest, []);
        LocalCopierOracleAssert.SameTree(rsyncDest, Path.Join(destRoot, "src"));
    }

    [Fact]
    public async Task PathsOutsideTheAllowedRoots_AreRefusedAndNothingIsWritten()
    {
        using var dir = new TempDirectory("tether-roots-");
        string allowedSrc = dir.Join("allowed-src");
        string allowedDest = dir.Join("allowed-dest");
        string outside = dir.Join("outside");
        new TestTree(Path.Join(allowedSrc, "ok")).File("f");
        new TestTree(outside).File("secret");
        Directory.CreateDirectory(allowedDest);
        File.CreateSymbolicLink(Path.Join(allowedSrc, "escape"), outside);
        File.CreateSymbolicLink(Path.Join(allowedDest, "escape"), outside);
        await using var peer = await PeerServer.StartAsync();
        var config = peer.CreateAgentConfig("bk3");
        config["backup"] = new JsonObject
        {
            ["allowedSourceRoots"] = new JsonArray(allowedSrc),
            ["allowedDestRoots"] = new JsonArray(allowedDest),
        };
        await using var agent = await AgentProcess.StartAsync(config);
        await BackupHarness.ReadyAsync(peer, "bk3");

        var cases = new (string PlanId, string Source, string Dest)[]
        {
            ("src-outside", outside, allowedDest),
            ("src-dotdot", Path.Join(allowedSrc, "ok", "..", "..", "outside"), allowedDest),
            ("src-symlink", Path.Join(allowedSrc, "escape"), allowedDest),
            ("dest-outside", Path.Join(allowedSrc, "ok"), outside),
            ("dest-dotdot", Path.Join(allowedSrc, "ok"), Path.Join(allowedDest, "..", "outside")),
            ("dest-symlink", Path.Join(allowedSrc, "ok"), Path.Join(allowedDest, "escape")),
        };
        foreach (var (planId, source, dest) in cases)
        {
            foreach (var ev in new[] { "backup_plan", "backup_start" })
            {
                int from = peer.RecordCount;
                await peer.EmitAsync(ev, BackupHarness.Job(planId, dest, [source]), "bk3");
                string error = await BackupHarness.ErrorAsync(peer, planId, from);
                Assert.Contains("allowed", error, StringComparison.Ordinal);
            }
        }

        Assert.Equal(["secret"], Directory.GetFileSystemEntries(outside).Select(Path.GetFileName));
        Assert.Equal(["escape"], Directory.GetFileSystemEntries(allowedDest).Select(Path.GetFileName));

        // Inside the roots it works.
        await peer.EmitAsync("backup_start", BackupHarness.Job("inside", Path.Join(allowedDest, "b"), [Path.Join(allowedSrc, "ok")]), "bk3");
        await BackupHarness.CompleteAsync(peer, "inside", Waits.Event);
        Assert.True(File.Exists(Path.Join(allowedDest, "b", "ok", "f")));
    }

    /// <summary>
    /// A dashboard that starts a plan again the moment its result arrives gets a new run, after a
    /// complete and after an error: the plan's slot is free before the result is posted (before,
    /// it was freed after, and such a start was dropped as "already running", with no answer).
    /// </summary>
    [Fact]
    public async Task AStartSentTheMomentAResultArrives_RunsThePlanAgain()
    {
        using var dir = new TempDirectory("tether-backup-");
        string src = dir.Join("data", "src");
        Directory.CreateDirectory(src);
        File.WriteAllText(Path.Join(src, "f"), "one");
        string destRoot = dir.Join("dest");
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(BackupHarness.AllowRoots(peer.CreateAgentConfig("bk6"), dir.Path));
        await BackupHarness.ReadyAsync(peer, "bk6");

        var job = BackupHarness.Job("again", destRoot, [src]);
        await peer.ReplyOnceAsync("backup_complete", "backup_start", job, planId: "again", clientId: "bk6");
        await peer.EmitAsync("backup_start", job, "bk6");
        var ends = await peer.WaitForEventsAsync("backup_complete", 2, Waits.Event, r => BackupHarness.PlanId(r) == "again");
        Assert.All(ends, e => Assert.True(e.Payload.GetProperty("ok").GetBoolean(), e.Line));

        // A run that fails (its source is gone): the error is answered the same way.
        var missing = BackupHarness.Job("again-bad", destRoot, [dir.Join("data", "gone")]);
        await peer.ReplyOnceAsync("backup_error", "backup_start", missing, planId: "again-bad", clientId: "bk6");
        await peer.EmitAsync("backup_start", missing, "bk6");
        await peer.WaitForEventsAsync("backup_error", 2, Waits.Event, r => BackupHarness.PlanId(r) == "again-bad");

        var audit = agent.ReadAuditRecords().Where(r => r.TryGetProperty("planId", out var p) && p.GetString() == "again").Select(r => r.GetProperty("action").GetString() + ":" + r.GetProperty("outcome").GetString()).ToList();
        Assert.Equal(["backup_start:ok", "backup_end:ok", "backup_start:ok", "backup_end:ok"], audit);
        Assert.DoesNotContain(agent.ReadLogLines(), l => l.Contains("in progress", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WrongShapes_GetABackupErrorAndTheAgentCarriesOn()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(peer.CreateAgentConfig("bk4"));
        await BackupHarness.ReadyAsync(peer, "bk4");

        await peer.EmitAsync("backup_start", new JsonObject { ["planId"] = "bad-1", ["sourceDirs"] = "not-an-array", ["destRoot"] = "/tmp/x" }, "bk4");
        Assert.Contains("sourceDirs", await BackupHarness.ErrorAsync(peer, "bad-1"), StringComparison.Ordinal);
        await peer.EmitAsync("backup_plan", new JsonObject { ["planId"] = "bad-2", ["sourceDirs"] = new JsonArray("/nonexistent-dir-xyz"), ["destRoot"] = "/tmp/x" }, "bk4");
        Assert.NotEmpty(await BackupHarness.ErrorAsync(peer, "bad-2"));
        await peer.EmitAsync("backup_plan", 42, "bk4");
        await peer.WaitForEventAsync("backup_error", Waits.Event, r => r.Payload.TryGetProperty("planId", out var p) && p.ValueKind == JsonValueKind.Null);
        Assert.False(agent.HasExited);
    }

    private static bool FilesEqual(string a, string b)
    {
        using var fa = File.OpenRead(a);
        using var fb = File.OpenRead(b);
        if (fa.Length != fb.Length)
        {
            return false;
        }

        var ba = new byte[1 << 20];
        var bb = new byte[1 << 20];
        while (true)
        {
            int na = fa.ReadAtLeast(ba, ba.Length, throwOnEndOfStream: false);
            int nb = fb.ReadAtLeast(bb, bb.Length, throwOnEndOfStream: false);
            if (na != nb || !ba.AsSpan(0, na).SequenceEqual(bb.AsSpan(0, nb)))
            {
                return false;
            }

            if (na == 0)
            {
                return true;
            }
        }
    }
}

/// <summary>Tree equality with a readable diff.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class LocalCopierOracleAssert
{
    public static void SameTree(string expectedRoot, string actualRoot)
    {
        var expected = RsyncOracle.Snapshot(expectedRoot);
        var actual = RsyncOracle.Snapshot(actualRoot);
        var diff = expected.Keys.Union(actual.Keys)
            .Where(k => !expected.TryGetValue(k, out var e) || !actual.TryGetValue(k, out var a) || e != a)
            .Select(k => $"{TestTree.Describe(k)}: expected [{expected.GetValueOrDefault(k)}] actual [{actual.GetValueOrDefault(k)}]")
            .ToList();
        Assert.True(diff.Count == 0, string.Join("\n", diff));
    }
}
