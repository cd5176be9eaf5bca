using Tether.Backup;
using Tether.Platform.FileSystem;

namespace Tether.Tests.Backup;

/// <summary>
/// docs/protocol.md §5: the copier, running as root over trees a user controls, never follows a
/// symlink or a swapped folder, never writes or changes metadata outside the destination and
/// never reads outside the source. The tree changes happen through
/// <see cref="LocalCopier.BeforeOpen"/>, between planning and the copier's open of an entry,
/// on the real file system.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LocalCopierAttackTests
{
    private const UnixFileMode Mode0700 = (UnixFileMode)0b111_000_000;
    private const UnixFileMode Mode0750 = (UnixFileMode)0b111_101_000;
    private const UnixFileMode Mode0777 = (UnixFileMode)0b111_111_111;

    [Fact]
    public async Task APlantedTemporaryNameSymlink_IsRemoved_AndNothingIsWrittenWhereItPoints()
    {
        using var dir = new TempDirectory();
        string src = dir.Join("src");
        new TestTree(src).File("pub/job", 10).Freeze();
        string ours = dir.Join("ours");
        await CopyAsync(src, ours);
        string outside = dir.Join("cron.d");
        Directory.CreateDirectory(outside);
        string existing = Path.Join(outside, "existing");
        File.WriteAllText(existing, "root's");
        File.CreateSymbolicLink(Path.Join(ours, "src", "pub", ".job" + LocalCopier.TempSuffix), Path.Join(outside, "zz"));
        File.CreateSymbolicLink(Path.Join(ours, "src", "pub", ".other" + LocalCopier.TempSuffix), existing);
        new TestTree(src).File("pub/job", 99).File("pub/other", 5).Freeze();

        await CopyAsync(src, ours);

        Assert.False(File.Exists(Path.Join(outside, "zz")) || new FileInfo(Path.Join(outside, "zz")).LinkTarget is not null);
        Assert.Equal("root's", File.ReadAllText(existing));
        Assert.Equal(File.ReadAllBytes(Path.Join(src, "pub", "job")), File.ReadAllBytes(Path.Join(ours, "src", "pub", "job")));
        Assert.Equal(File.ReadAllBytes(Path.Join(src, "pub", "other")), File.ReadAllBytes(Path.Join(ours, "src", "pub", "other")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(ours, "*" + LocalCopier.TempSuffix, SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ADestinationFolderSwappedForASymlink_DuringTheCopy_ChangesNothingWhereItPoints()
    {
        using var dir = new TempDirectory();
        string src = dir.Join("src");
        new TestTree(src).File("pub/f1").File("pub/f2").Freeze();
        File.SetUnixFileMode(Path.Join(src, "pub"), Mode0777);
        string victim = dir.Join("etc");
        Directory.CreateDirectory(victim);
        File.SetUnixFileMode(victim, Mode0750);
        FileSystems.Current.SetTimes(victim, 1_500_000_000, 0, noFollow: true);
        string destPub = dir.Join("ours", "src", "pub");

        await CopyAsync(src, dir.Join("ours"), path =>
        {
            if (path == "pub/f2")
            {
                Directory.Move(destPub, destPub + ".moved");
                File.CreateSymbolicLink(destPub, victim);
            }
        });

        Assert.True(FileSystems.Current.TryLstat(victim, out var after, out _));
        Assert.Equal((0b111_101_000, 1_500_000_000L), (after.Mode, after.MtimeSec));
        Assert.Empty(Directory.EnumerateFileSystemEntries(victim));
        Assert.Equal(["f1", "f2"], Directory.GetFiles(destPub + ".moved").Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task ASourceFolderSwappedForASymlinkToARootOnlyFolder_AfterPlanning_IsNotRead()
    {
        using var dir = new TempDirectory();
        string src = dir.Join("src");
        new TestTree(src).File("aaa/x").File("sec/secret", 9).Freeze();
        string vault = VaultWithSecret(dir);
        string ours = dir.Join("ours");

        var e = await Assert.ThrowsAsync<IOException>(() => CopyAsync(src, ours, path =>
        {
            if (path == "sec")
            {
                Directory.Move(Path.Join(src, "sec"), Path.Join(src, "sec.mine"));
                File.CreateSymbolicLink(Path.Join(src, "sec"), vault);
            }
        }));

        Assert.Contains("src/sec", e.Message, StringComparison.Ordinal);
        AssertNoSecretUnder(ours);
        Assert.True(File.Exists(Path.Join(ours, "src", "aaa", "x")));
    }

    [Theory]
    [InlineData("hardlink")]
    [InlineData("symlink")]
    [InlineData("other file")]
    public async Task ASourceFileReplacedAfterPlanning_IsNotCopied(string replacement)
    {
        using var dir = new TempDirectory();
        string src = dir.Join("src");
        new TestTree(src).File("sec/secret", 9).File("sec/z").Freeze();
        string vault = VaultWithSecret(dir);
        string ours = dir.Join("ours");

        var e = await Assert.ThrowsAsync<IOException>(() => CopyAsync(src, ours, path =>
        {
            if (path == "sec/secret")
            {
                // Made beside it, then renamed over it: a new inode (a file created after the
                // delete could reuse the old inode number, but then it is a new file of the
                // user's own, which she could read anyway).
                string planned = Path.Join(src, "sec", "secret");
                string next = planned + ".next";
                switch (replacement)
                {
                    case "hardlink":
                        Link(Path.Join(vault, "secret"), next);
                        break;
                    case "symlink":
                        File.CreateSymbolicLink(next, Path.Join(vault, "secret"));
                        break;
                    default:
                        File.Copy(Path.Join(vault, "secret"), next);
                        break;
                }

                File.Move(next, planned, overwrite: true);
            }
        }));

        Assert.Contains("src/sec/secret", e.Message, StringComparison.Ordinal);
        AssertNoSecretUnder(ours);
        Assert.True(File.Exists(Path.Join(ours, "src", "sec", "z")));
    }

    [Fact]
    public async Task AnUnchangedFileHardLinkedToAFileOutside_IsReplaced_NotChmoddedOrChowned()
    {
        using var dir = new TempDirectory();
        string src = dir.Join("src");
        new TestTree(src).File("f", 12, (UnixFileMode)0b110_110_110).Freeze();
        string ours = dir.Join("ours");
        await CopyAsync(src, ours);
        string victim = dir.Join("shadow");
        File.Copy(Path.Join(ours, "src", "f"), victim);
        File.SetUnixFileMode(victim, (UnixFileMode)0b110_000_000);
        File.SetLastWriteTimeUtc(victim, File.GetLastWriteTimeUtc(Path.Join(src, "f")));
        File.Delete(Path.Join(ours, "src", "f"));
        Link(victim, Path.Join(ours, "src", "f"));

        await CopyAsync(src, ours);

        Assert.True(FileSystems.Current.TryLstat(victim, out var after, out _));
        Assert.Equal((0b110_000_000, 0u, 1u), (after.Mode, after.Uid, after.Links));
        Assert.True(FileSystems.Current.TryLstat(Path.Join(ours, "src", "f"), out var copy, out _));
        Assert.Equal(0b110_110_110, copy.Mode);
    }

    [Fact]
    public async Task FilesFoldersAndLinksOfOtherUsers_KeepOwnerGroupAndSetuid_AsRsyncDoesAsRoot()
    {
        Assert.True(FileSystems.Current.CanKeepOwners, "this test runs as root, as CI does");
        using var dir = new TempDirectory();
        string src = dir.Join("src");
        new TestTree(src).File("home/tool", 20, (UnixFileMode)0b111_101_101).Link("home/link", "tool").Freeze()
            .Own("home/tool", 1000, 1000, (UnixFileMode)0b110_111_101_101)
            .Own("home/link", 1000, 1001)
            .Own("home", 1000, 1002, Mode0700);

        var progress = await CopyAsync(src, dir.Join("ours"));

        Assert.Equal(1, progress.FilesTransferred);
        string rsync = dir.Join("rsync");
        RsyncOracle.Copy(src, rsync, []);
        LocalCopierOracleTests.AssertSameTree(rsync, dir.Join("ours", "src"));
        Assert.True(FileSystems.Current.TryLstat(dir.Join("ours", "src", "home", "tool"), out var tool, out _));
        Assert.Equal((0b110_111_101_101, 1000u, 1000u), (tool.Mode, tool.Uid, tool.Gid));

        // An unchanged copy whose owner or mode drifted is repaired in place, as rsync -a does.
        Own(dir.Join("ours", "src", "home", "tool"), 0, 0);
        var again = await CopyAsync(src, dir.Join("ours"));
        Assert.Equal(0, again.FilesTransferred);
        LocalCopierOracleTests.AssertSameTree(rsync, dir.Join("ours", "src"));
    }

    private static string VaultWithSecret(TempDirectory dir)
    {
        string vault = dir.Join("root-only");
        Directory.CreateDirectory(vault);
        File.WriteAllText(Path.Join(vault, "secret"), "TOPSECRET");
        File.SetUnixFileMode(Path.Join(vault, "secret"), (UnixFileMode)0b110_000_000);
        File.SetUnixFileMode(vault, Mode0700);
        return vault;
    }

    private static void AssertNoSecretUnder(string root)
    {
        if (!Directory.Exists(root))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            if (new FileInfo(file).LinkTarget is null)
            {
                Assert.DoesNotContain("TOPSECRET", File.ReadAllText(file), StringComparison.Ordinal);
            }
        }
    }

    private static void Link(string existing, string newPath) => Run("ln", existing, newPath);

    private static void Own(string path, int uid, int gid) => Run("chown", "-h", $"{uid}:{gid}", path);

    private static void Run(string program, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = System.Diagnostics.Process.Start(psi)!;
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{program} failed: {error}");
    }

    private static async Task<BackupProgress> CopyAsync(string src, string destRoot, Action<string>? beforeOpen = null)
    {
        Assert.True(ExcludeRules.TryCreate([], out var rules, out var error), error);
        var plan = new BackupPlan([BackupPlanner.PlanSource(src, Path.Join(destRoot, "src"), "src", rules!, CancellationToken.None)]);
        var progress = new BackupProgress { TotalBytes = plan.TotalBytes, TotalFiles = plan.TotalFiles };
        await new LocalCopier(progress, FileSystems.Current, parallelism: 1) { BeforeOpen = beforeOpen }.CopyAsync(plan, CancellationToken.None);
        return progress;
    }
}
