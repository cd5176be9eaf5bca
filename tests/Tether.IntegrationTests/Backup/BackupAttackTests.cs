using Tether.IntegrationTests.Commands;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;
using Tether.Platform.FileSystem;
using Tether.Tests.Backup;

namespace Tether.IntegrationTests.Backup;

/// <summary>
/// docs/protocol.md §5 local mode, attacked: the agent runs as root and backs up a tree that
/// belongs to an unprivileged user, who plants and swaps symlinks in the source and in her
/// copy. Nothing outside the allowed trees is written, changed or read; owners are kept.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BackupAttackTests
{
    private const string UserName = "tether-bkuser";
    private const UnixFileMode Mode0755 = (UnixFileMode)0b111_101_101;
    private const UnixFileMode Mode0777 = (UnixFileMode)0b111_111_111;

    [Fact]
    public async Task ASymlinkPlantedUnderTheTemporaryName_DoesNotMakeRootWriteWhereItPoints()
    {
        var user = LocalUser.Ensure(UserName);
        using var dir = Scratch();
        string home = dir.Join("home");
        string cron = dir.Join("cron.d");
        Directory.CreateDirectory(cron);
        Directory.CreateDirectory(home);
        user.Own(home);
        user.Sh($"mkdir -m 777 {home}/pub && printf 'harmless' > {home}/pub/job");
        string dest = dir.Join("backups");
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(BackupHarness.AllowRoots(peer.CreateAgentConfig("atk1"), dir.Path));
        await BackupHarness.ReadyAsync(peer, "atk1");
        var job = BackupHarness.Job("atk-1", dest, [home]);
        await peer.EmitAsync("backup_start", job, "atk1");
        await BackupHarness.CompleteAsync(peer, "atk-1", Waits.Event);

        // The next run would write her new content through a link she planted in her copy.
        user.Sh($"ln -s {cron}/zz {dest}/home/pub/.job.tether-part && printf '* * * * * root id > /tmp/pwned' > {home}/pub/job");
        int from = peer.RecordCount;
        await peer.EmitAsync("backup_start", job.DeepClone(), "atk1");
        await BackupHarness.EndAsync(peer, "atk-1", Waits.Event, from);

        Assert.Empty(Directory.GetFileSystemEntries(cron));
        Assert.Equal(File.ReadAllText(Path.Join(home, "pub", "job")), File.ReadAllText(Path.Join(dest, "home", "pub", "job")));
        Assert.True(FileSystems.Current.TryLstat(Path.Join(dest, "home", "pub", "job"), out var copy, out _));
        Assert.Equal((FileKind.File, (uint)user.Uid), (copy.Kind, copy.Uid));
    }

    [Fact]
    public async Task ADestinationFolderSwappedForASymlinkDuringTheCopy_RootChangesNothingWhereItPoints()
    {
        var user = LocalUser.Ensure(UserName);
        using var dir = Scratch();
        string home = dir.Join("home");
        new TestTree(home).File("pub/big", 32 << 20).File("zzz/huge", 400 << 20);
        File.SetUnixFileMode(home, Mode0777);
        File.SetUnixFileMode(Path.Join(home, "pub"), Mode0777);
        user.Own(home);
        string victim = dir.Join("etc");
        Directory.CreateDirectory(victim);
        File.WriteAllText(Path.Join(victim, "passwd"), "root:x:0:0");
        File.SetUnixFileMode(victim, Mode0755);
        FileSystems.Current.SetTimes(victim, 1_500_000_000, 0, noFollow: true);
        string dest = dir.Join("backups");
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(BackupHarness.AllowRoots(peer.CreateAgentConfig("atk2"), dir.Path));
        await BackupHarness.ReadyAsync(peer, "atk2");
        var job = BackupHarness.Job("atk-2", dest, [home]);
        await peer.EmitAsync("backup_start", job, "atk2");
        await BackupHarness.CompleteAsync(peer, "atk-2", Waits.Event);

        // Both files change; once the new pub/big is in place, she swaps her copy of pub for a
        // link to a root folder, before the agent sets pub's mode and times.
        user.Sh($"printf 'x' >> {home}/pub/big && printf 'y' >> {home}/zzz/huge");
        long newSize = new FileInfo(Path.Join(home, "pub", "big")).Length;
        int from = peer.RecordCount;
        await peer.EmitAsync("backup_start", job.DeepClone(), "atk2");
        string destPub = Path.Join(dest, "home", "pub");
        using (await ProcessFreeze.WhenAsync(agent.ProcessId, () => new FileInfo(Path.Join(destPub, "big")).Length == newSize, Waits.Event, "the new pub/big in place"))
        {
            user.Sh($"mv {destPub} {destPub}.real && ln -s {victim} {destPub}");
        }

        await BackupHarness.EndAsync(peer, "atk-2", TimeSpan.FromSeconds(120), from);

        Assert.True(FileSystems.Current.TryLstat(victim, out var after, out _));
        Assert.Equal((0b111_101_101, 0u, 1_500_000_000L), (after.Mode, after.Uid, after.MtimeSec));
        Assert.Equal(["passwd"], Directory.GetFileSystemEntries(victim).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ASourceFolderSwappedForASymlinkToARootOnlyFolderAfterPlanning_ItsFilesAreNotRead()
    {
        var user = LocalUser.Ensure(UserName);
        using var dir = Scratch();
        string home = dir.Join("home");
        new TestTree(home).File("aaa/big1", 128 << 20).File("aaa/big2", 128 << 20).File("sec/secret", 9);
        user.Own(home);
        string vault = dir.Join("root-only");
        Directory.CreateDirectory(vault);
        File.WriteAllText(Path.Join(vault, "secret"), "TOPSECRET");
        File.SetUnixFileMode(Path.Join(vault, "secret"), (UnixFileMode)0b110_000_000);
        File.SetUnixFileMode(vault, (UnixFileMode)0b111_000_000);
        string dest = dir.Join("backups");
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(BackupHarness.AllowRoots(peer.CreateAgentConfig("atk3"), dir.Path));
        await BackupHarness.ReadyAsync(peer, "atk3");

        // Planned with her own sec/secret; once the copy is under way she swaps sec for a link
        // (the agent held still meanwhile, so the copy cannot have reached sec first).
        await peer.EmitAsync("backup_start", BackupHarness.Job("atk-3", dest, [home]), "atk3");
        using (await PartialFiles.FreezeAgentAtFirstAsync(agent, dest))
        {
            user.Sh($"mv {home}/sec {home}/sec.mine && ln -s {vault} {home}/sec");
        }

        var end = await BackupHarness.EndAsync(peer, "atk-3", TimeSpan.FromSeconds(120));

        foreach (var file in Directory.EnumerateFiles(dest, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            if (new FileInfo(file).LinkTarget is null && new FileInfo(file).Length < 1024)
            {
                Assert.DoesNotContain("TOPSECRET", File.ReadAllText(file), StringComparison.Ordinal);
            }
        }

        Assert.Equal("backup_error", end.Event);
        Assert.Contains("home/sec", end.Payload.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASetuidFileOfAUser_IsCopiedWithItsOwner_NotAsRoot()
    {
        var user = LocalUser.Ensure(UserName);
        using var dir = Scratch();
        string home = dir.Join("home");
        Directory.CreateDirectory(home);
        user.Own(home);
        user.Sh($"printf '#!/bin/sh\\nid\\n' > {home}/tool && chmod 4755 {home}/tool && mkdir -m 2775 {home}/shared");

        // Past folder times: rsync leaves a fresh folder's time alone within the same second.
        new TestTree(home).Freeze();
        string dest = dir.Join("backups");
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(BackupHarness.AllowRoots(peer.CreateAgentConfig("atk4"), dir.Path));
        await BackupHarness.ReadyAsync(peer, "atk4");

        await peer.EmitAsync("backup_start", BackupHarness.Job("atk-4", dest, [home]), "atk4");
        await BackupHarness.CompleteAsync(peer, "atk-4", Waits.Event);

        Assert.True(FileSystems.Current.TryLstat(Path.Join(dest, "home", "tool"), out var tool, out _));
        Assert.Equal((0b100_111_101_101, (uint)user.Uid, (uint)user.Gid), (tool.Mode, tool.Uid, tool.Gid));
        Assert.True(FileSystems.Current.TryLstat(Path.Join(dest, "home", "shared"), out var shared, out _));
        Assert.Equal((0b010_111_111_101, (uint)user.Uid), (shared.Mode, shared.Uid));
        string rsync = dir.Join("rsync");
        RsyncOracle.Copy(home, rsync, []);
        LocalCopierOracleAssert.SameTree(rsync, Path.Join(dest, "home"));
    }

    [Fact]
    public async Task AnAgentThatIsNotRoot_DropsSetuidAndSetgidOfFilesItCannotKeepTheOwnerOf()
    {
        var owner = LocalUser.Ensure(UserName);
        var agentUser = LocalUser.Ensure("tether-bkagent");
        using var dir = Scratch();
        string home = dir.Join("home");
        Directory.CreateDirectory(home);
        File.SetUnixFileMode(home, Mode0755);
        owner.Own(home);
        owner.Sh($"printf 'tool' > {home}/tool && chmod 6755 {home}/tool && printf 'plain' > {home}/plain && chmod 0640 {home}/plain && chmod o+r {home}/plain");
        string dest = dir.Join("backups");
        Directory.CreateDirectory(dest);
        agentUser.Own(dest);
        await using var peer = await PeerServer.StartAsync();
        await using var unpriv = await UnprivilegedAgent.StartAsync(agentUser.Name, BackupHarness.AllowRoots(peer.CreateAgentConfig("atk5"), dir.Path));
        await BackupHarness.ReadyAsync(peer, "atk5");

        await peer.EmitAsync("backup_start", BackupHarness.Job("atk-5", dest, [home]), "atk5");
        await BackupHarness.CompleteAsync(peer, "atk-5", Waits.Event);

        Assert.True(FileSystems.Current.TryLstat(Path.Join(dest, "home", "tool"), out var tool, out _));
        Assert.Equal((0b111_101_101, (uint)agentUser.Uid), (tool.Mode, tool.Uid));
        Assert.True(FileSystems.Current.TryLstat(Path.Join(dest, "home", "plain"), out var plain, out _));
        Assert.Equal(0b110_100_100, plain.Mode);
    }

    /// <summary>A scratch folder the test user can walk into (TempDirectory is 0700).</summary>
    private static TempDirectory Scratch()
    {
        var dir = new TempDirectory("tether-attack-");
        File.SetUnixFileMode(dir.Path, Mode0755);
        return dir;
    }
}
